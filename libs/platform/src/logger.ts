import { trace } from '@opentelemetry/api';
import { traceLogFields } from './trace.js';

/**
 * Structured JSON logs on stdout, in the shape Cloud Logging parses:
 * https://cloud.google.com/logging/docs/structured-logging
 * Each line carries the trace and span that are active when it is written.
 */
export type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
export type LogLevel = 'debug' | 'info' | 'warning' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Names the trace in Cloud Logging's form; without it lines carry no trace fields. */
  projectId?: string;
  write?: (line: string) => void;
}

const rank: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };
const severityOf: Record<LogLevel, Severity> = {
  debug: 'DEBUG',
  info: 'INFO',
  warning: 'WARNING',
  error: 'ERROR',
};

export function createLogger(bound: LogFields, options: LoggerOptions = {}): Logger {
  const threshold = rank[severityOf[options.level ?? 'info']];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const log = (severity: Severity, message: string, fields?: LogFields) => {
    if (rank[severity] < threshold) return;
    const traced =
      options.projectId === undefined
        ? {}
        : traceLogFields(options.projectId, trace.getActiveSpan()?.spanContext());
    const time = new Date().toISOString();
    write(JSON.stringify({ severity, message, time, ...bound, ...traced, ...fields }));
  };
  return {
    debug: (message, fields) => log('DEBUG', message, fields),
    info: (message, fields) => log('INFO', message, fields),
    warn: (message, fields) => log('WARNING', message, fields),
    error: (message, fields) => log('ERROR', message, fields),
    child: (fields) => createLogger({ ...bound, ...fields }, options),
  };
}

export function errorFields(error: unknown): LogFields {
  return error instanceof Error
    ? { error: error.message, stack_trace: error.stack }
    : { error: String(error) };
}
