import express, { type Express, type RequestHandler } from 'express';
import { notFoundHandler, problemHandler, type Logger } from '@orderflow/platform';
import type { DeadLetterSink } from './dead-letter-sink.js';
import type { DeliveryLedger } from './ledger.js';
import { pushHandler, type Effect } from './push-handler.js';

export interface SubscriberDeps {
  ledger: DeliveryLedger;
  /** This subscriber's dead-letter topic, for messages that can never succeed. */
  deadLetters: DeadLetterSink;
  logger: Logger;
  clock: () => Date;
  projectId: string;
  maxDeliveryAttempts: number;
  leaseMs: number;
  /** Checks the push request's OIDC token; absent when the configuration turns it off. */
  pushAuth?: RequestHandler | undefined;
}

/** A subscriber service: one push route per subscription, each running its effect once per event. */
export function createSubscriberApp(
  subscriber: string,
  routes: Readonly<Record<string, Effect>>,
  deps: SubscriberDeps,
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const authenticate: RequestHandler = deps.pushAuth ?? ((_req, _res, next) => next());
  for (const [path, effect] of Object.entries(routes)) {
    app.post(
      path,
      authenticate,
      express.json({ limit: '1mb' }),
      pushHandler({ ...deps, subscriber, effect }),
    );
  }
  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
}
