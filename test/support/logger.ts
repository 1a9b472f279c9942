import { createLogger, type LogFields, type Logger } from '@orderflow/platform';

/** A logger that keeps every line, parsed, instead of writing to stdout. */
export function capturingLogger(): { logger: Logger; lines: LogFields[] } {
  const lines: LogFields[] = [];
  const logger = createLogger(
    { service: 'test' },
    {
      level: 'debug',
      projectId: 'test-project',
      write: (line) => lines.push(JSON.parse(line) as LogFields),
    },
  );
  return { logger, lines };
}

export const silentLogger = (): Logger => capturingLogger().logger;
