import type { Express } from 'express';
import type { Server } from 'node:http';
import { errorFields, type LogFields, type Logger } from './logger.js';

export interface ServeOptions {
  port: number;
  logger: Logger;
  /** Releases clients (Firestore, Pub/Sub) after the server stopped taking requests. */
  onClose?: () => Promise<void>;
  /** Cloud Run sends SIGKILL 10 s after SIGTERM. */
  drainMs?: number;
  /** The settings that decide who gets in: logged once at start, for whoever checks a deploy. */
  security: LogFields;
}

const exitHooks: (() => Promise<void>)[] = [];

/** Runs `hook` after the server has closed and its clients are released: telemetry flushes there. */
export function beforeExit(hook: () => Promise<void>): void {
  exitHooks.push(hook);
}

/** Listens, and on SIGTERM or SIGINT drains in-flight requests, releases clients and exits. */
export async function serve(app: Express, options: ServeOptions): Promise<Server> {
  const { logger } = options;
  // Every address, IPv6 and IPv4 alike, as Cloud Run expects. Named, even as '0.0.0.0', the host
  // would go through a DNS lookup first: node's dns module and a thread-pool task on every start.
  const server = app.listen(options.port);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve).once('error', reject);
  });
  logger.info('listening', { port: options.port, security: options.security });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    const force = setTimeout(() => server.closeAllConnections(), options.drainMs ?? 8000);
    force.unref();
    server.close(() => {
      void (options.onClose?.() ?? Promise.resolve())
        .catch((error: unknown) => {
          logger.error('close failed', errorFields(error));
        })
        .then(() => Promise.allSettled(exitHooks.map((hook) => hook())))
        .finally(() => {
          logger.info('stopped');
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.once('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.once('SIGINT', () => {
    stop('SIGINT');
  });
  // Started by the local supervisor with an IPC channel: should it die, do not outlive it.
  if (process.connected) {
    process.once('disconnect', () => {
      stop('supervisor gone');
    });
  }
  return server;
}
