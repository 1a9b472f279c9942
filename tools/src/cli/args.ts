import { parseArgs, type ParseArgsConfig } from 'node:util';

/** Parses a CLI's arguments, or prints the usage and the problem and exits with 2. */
export function parseCli<T extends ParseArgsConfig>(config: T, usage: string) {
  try {
    return parseArgs({ ...config, args: process.argv.slice(2) });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}\n`);
    process.exit(2);
  }
}

export function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}
