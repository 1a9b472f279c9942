import express, { type Express, type RequestHandler } from 'express';
import { notFoundHandler, problemHandler } from '@orderflow/platform';
import { deadLetterPushPath } from '@orderflow/topology';
import { deadLetterRecorder } from './dead-letter-recorder.js';
import { pushHandler, type DeliveryDeps, type Effect } from './push-handler.js';

export interface SubscriberDeps extends DeliveryDeps {
  /** Checks the push request's OIDC token; absent when the configuration turns it off. */
  pushAuth?: RequestHandler | undefined;
}

/**
 * A subscriber service: one push route per subscription, each running its effect once per event,
 * and the route its dead-letter subscription pushes to, which records each dead letter.
 */
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
  app.post(
    deadLetterPushPath,
    authenticate,
    express.json({ limit: '1mb' }),
    deadLetterRecorder({ ...deps, subscriber }),
  );
  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
}
