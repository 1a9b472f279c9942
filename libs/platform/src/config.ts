import { z } from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment once, reporting every problem at the same time. */
export function parseConfig<S extends z.ZodType>(
  schema: S,
  env: Record<string, string | undefined>,
): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `  ${issue.path.join('.')}: ${issue.message}`,
  );
  throw new ConfigError(`invalid configuration:\n${problems.join('\n')}`);
}

/** For `main.ts`: the only place that reads `process.env`. Bad configuration stops the process. */
export function loadConfig<S extends z.ZodType>(schema: S): z.output<S> {
  try {
    return parseConfig(schema, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

const hostPort = z.string().regex(/^[\w.-]+:\d+$/, 'expected host:port');

export const port = (fallback: number) =>
  z.coerce.number().int().min(1).max(65535).default(fallback);

/** What every service needs to reach Google Cloud, or the emulators standing in for it. */
export const gcpConfig = z.object({
  GOOGLE_CLOUD_PROJECT: z.string().min(1),
  FIRESTORE_EMULATOR_HOST: hostPort.optional(),
  PUBSUB_EMULATOR_HOST: hostPort.optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warning', 'error']).default('info'),
});
export type GcpConfig = z.output<typeof gcpConfig>;
