import type { Express, RequestHandler, Router } from 'express';
import { express, notFoundHandler, problemHandler } from '@orderflow/platform';
import { deadLetterPushPathOf } from '@orderflow/topology';
import { deadLetterRecorder } from './dead-letter-recorder.js';
import type { OrderStreams } from './order-streams.js';
import { pushHandler, type DeliveryDeps, type Route } from './push-handler.js';
import { reconcileEndpoint, type ReconcileEndpointDeps } from './reconcile-endpoint.js';

export interface SubscriberDeps extends DeliveryDeps {
  /** Where a subscriber claims an order's stream before it acts (order-streams.ts). */
  streams: OrderStreams;
  /** Checks the push request's OIDC token; absent when the configuration turns it off. */
  pushAuth?: RequestHandler | undefined;
  /** The reconciler of the service's subscribers (`POST /internal/deliveries/reconcile`). */
  reconciler?: Omit<ReconcileEndpointDeps, keyof DeliveryDeps | 'subscribers'> | undefined;
}

/**
 * A subscriber service: one push route per subscription, by path, each running its effect once
 * per event, and for each the route its dead-letter subscription pushes to, which records each
 * dead letter. A service may serve several subscribers (each its own subscription in the topology).
 */
export function createSubscriberApp(
  routes: Readonly<Record<string, Route>>,
  deps: SubscriberDeps,
  /** What else the service serves, with its own authentication: segmentation's outbox relay. */
  others?: Router,
): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  const authenticate: RequestHandler = deps.pushAuth ?? ((_req, _res, next) => next());
  for (const [path, route] of Object.entries(routes)) {
    app.post(
      path,
      authenticate,
      express.json({ limit: '1mb' }),
      pushHandler({ ...deps, ...route }),
    );
    app.post(
      deadLetterPushPathOf(route.subscriber),
      authenticate,
      express.json({ limit: '1mb' }),
      deadLetterRecorder({ ...deps, subscriber: route.subscriber }),
    );
  }
  if (deps.reconciler) {
    const subscribers = Object.values(routes).map(({ subscriber, eventType }) => ({
      subscriber,
      eventType,
    }));
    app.use(reconcileEndpoint({ ...deps, ...deps.reconciler, subscribers }));
  }
  if (others) app.use(others);
  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
}
