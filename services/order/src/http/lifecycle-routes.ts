import type { RequestHandler, Router } from 'express';
import {
  express,
  requireJson,
  requireSeller,
  sellerOf,
  type Logger,
  type SellerAuthenticator,
} from '@orderflow/platform';
import type { Command } from '../domain/lifecycle.js';
import type { OrderPosition } from '../domain/paging.js';
import { transitionOrder, type TransitionDeps } from '../transition-order.js';
import { customerOf } from './authenticate.js';
import { parseOrderId } from './order-request.js';
import { orderResource, sellerOrderResource } from './order-resource.js';
import { parsePageQuery, sendPage } from './paging.js';
import { orderPosition } from './positions.js';
import {
  acceptBody,
  cancelBody,
  optionalJson,
  rejectBody,
  shipBody,
} from './transition-request.js';
import { parseInput } from './validation.js';

export interface LifecycleDeps extends TransitionDeps {
  sellerAuthenticator: SellerAuthenticator;
  logger: Logger;
}

const json = express.json({ limit: '4kb', strict: true });

/**
 * The order's life after it is placed: the customer's cancel, and the seller API, where a seller
 * sees and moves only its own part of each order.
 */
export function lifecycleRoutes(
  deps: LifecycleDeps,
  requireCustomer: RequestHandler,
  limitRefused: RequestHandler,
): Router {
  const router = express.Router();

  router.post<{ id: string }>(
    '/orders/:id/cancel',
    requireCustomer,
    optionalJson,
    json,
    async (req, res) => {
      const customer = customerOf(res.locals);
      const orderId = parseOrderId(req.params.id);
      const { reason } = parseInput(cancelBody, req.body ?? {}, 'the cancel has invalid fields');
      const command: Command = { kind: 'cancel', customerId: customer.id, reason };
      res.json(orderResource(await transitionOrder(deps, orderId, command, deps.logger)));
    },
  );

  const seller = requireSeller(deps.sellerAuthenticator, limitRefused);

  router.get('/seller/orders', seller, async (req, res) => {
    const page = parsePageQuery<OrderPosition>(req.query, orderPosition);
    const { sellerId } = sellerOf(res.locals);
    const orders = await deps.transitions.listOrdersOfSeller(sellerId, page);
    sendPage(req, res, 'orders', orders, page, (order) => sellerOrderResource(order, sellerId));
  });

  /** A seller's action on its part of the order, answered with the part as it now is. */
  const act =
    (
      commandOf: (sellerId: string, body: unknown) => Command,
    ): RequestHandler<{ orderId: string }> =>
    async (req, res) => {
      const { sellerId } = sellerOf(res.locals);
      const orderId = parseOrderId(req.params.orderId);
      const command = commandOf(sellerId, req.body ?? {});
      const order = await transitionOrder(deps, orderId, command, deps.logger);
      res.json(sellerOrderResource(order, sellerId));
    };

  router.post(
    '/seller/orders/:orderId/accept',
    seller,
    optionalJson,
    json,
    act((sellerId, body) => {
      parseInput(acceptBody, body, 'an acceptance has no fields');
      return { kind: 'accept', sellerId };
    }),
  );
  router.post(
    '/seller/orders/:orderId/ship',
    seller,
    requireJson,
    json,
    act((sellerId, body) => ({
      kind: 'ship',
      sellerId,
      ...parseInput(shipBody, body, 'the shipment has invalid fields'),
    })),
  );
  router.post(
    '/seller/orders/:orderId/reject',
    seller,
    requireJson,
    json,
    act((sellerId, body) => ({
      kind: 'reject',
      sellerId,
      ...parseInput(rejectBody, body, 'the rejection has invalid fields'),
    })),
  );
  return router;
}
