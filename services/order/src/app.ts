import type { Express } from 'express';
import { relayEndpoint, type RelayEndpointDeps } from '@orderflow/outbox';
import {
  AppError,
  express,
  notFoundHandler,
  problemHandler,
  requireJson,
  type Logger,
} from '@orderflow/platform';
import { fulfilmentOf } from './domain/fulfilment.js';
import type { OrderPosition, ProductPosition } from './domain/paging.js';
import { apiReference } from './http/api-reference.js';
import { authenticate, customerOf } from './http/authenticate.js';
import { browserAccess, type BrowserAccess } from './http/browser-access.js';
import { deadlineOf, requestDeadline } from './http/deadline.js';
import { openApiDocument } from './http/openapi.js';
import { orderLatency } from './http/order-metrics.js';
import { orderResource } from './http/order-resource.js';
import { perAddress, perCustomer, type RateLimits } from './http/rate-limits.js';
import {
  fingerprint,
  parseIdempotencyKey,
  parseOrderId,
  parsePlaceOrderBody,
} from './http/order-request.js';
import { orderPosition, productPosition } from './http/positions.js';
import { parsePageQuery, sendPage } from './http/paging.js';
import { lifecycleRoutes, type LifecycleDeps } from './http/lifecycle-routes.js';
import { placeOrder, type PlaceOrderDeps } from './place-order.js';
import type { Authenticator } from './ports.js';

export interface OrderAppDeps extends PlaceOrderDeps, LifecycleDeps, RelayEndpointDeps {
  authenticator: Authenticator;
  logger: Logger;
  projectId: string;
  /** Everyone who reacts to `order.placed`, whose progress `GET /orders/{id}` shows. */
  subscribers: readonly string[];
  browser: BrowserAccess;
  rateLimits: RateLimits;
  /** How many proxies in front append to X-Forwarded-For (Cloud Run's front end: 1). */
  trustedProxyHops: number;
  /** A request's whole time, and the part of it kept for publishing after the commit. */
  timeouts: { requestMs: number; publishMs: number };
}

export function createApp(deps: OrderAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // The client's address is the one the last trusted proxy saw: what comes before it in
  // X-Forwarded-For, the client may have written.
  app.set('trust proxy', deps.trustedProxyHops);
  app.use(browserAccess(deps.browser));
  // Before the public requests' deadline: a relay pass is bounded by its own time, longer.
  app.use(relayEndpoint(deps));
  app.use(requestDeadline(deps.timeouts.requestMs));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  // Made on the first request for it, not at start: building it from the schemas takes ~20 ms.
  let openApi: ReturnType<typeof openApiDocument> | undefined;
  app.get('/openapi.json', (_req, res) => {
    res.json((openApi ??= openApiDocument()));
  });
  app.use(apiReference());

  const perClientAddress = perAddress(deps.rateLimits.address);

  app.get('/products', perClientAddress, async (req, res) => {
    const page = parsePageQuery<ProductPosition>(req.query, productPosition);
    // Stock changes with every order: a shop revalidates each time, and the ETag that
    // express puts on every JSON body turns an unchanged page into a 304 without a body.
    res.set('Cache-Control', 'no-cache');
    sendPage(req, res, 'products', await deps.store.listProducts(page), page, (p) => p);
  });

  const requireCustomer = authenticate(deps.authenticator, perClientAddress);

  app.post(
    '/orders',
    orderLatency(),
    requireCustomer,
    perCustomer(deps.rateLimits.customer),
    requireJson,
    express.json({ limit: '16kb', strict: true }),
    async (req, res) => {
      const customer = customerOf(res.locals);
      const items = parsePlaceOrderBody(req.body);
      const key = parseIdempotencyKey(req.get('idempotency-key'));
      const { order, replayed } = await placeOrder(deps, {
        customer,
        items,
        idempotency:
          key === undefined
            ? undefined
            : { customerId: customer.id, key, requestHash: fingerprint(items) },
        logger: deps.logger,
        // The order is committed early enough to publish its event before the deadline.
        deadline: new Date(deadlineOf(res) - deps.timeouts.publishMs),
        answerBy: new Date(deadlineOf(res)),
      });
      if (replayed) res.set('Idempotent-Replayed', 'true');
      res.status(201).location(`/orders/${order.id}`).json(orderResource(order));
    },
  );

  app.get('/orders', requireCustomer, async (req, res) => {
    const page = parsePageQuery<OrderPosition>(req.query, orderPosition);
    const orders = await deps.store.listOrdersOf(customerOf(res.locals).id, page);
    sendPage(req, res, 'orders', orders, page, (order) => orderResource(order));
  });

  app.get<{ id: string }>('/orders/:id', requireCustomer, async (req, res) => {
    const view = await deps.store.findOrder(parseOrderId(req.params.id));
    // Someone else's order is answered exactly like a missing one.
    if (view?.order.customer.id !== customerOf(res.locals).id) {
      throw new AppError('not-found', `no order ${req.params.id}`);
    }
    res.json(orderResource(view.order, fulfilmentOf(deps.subscribers, view.fulfilment)));
  });

  app.use(lifecycleRoutes(deps, requireCustomer, perClientAddress));

  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
}
