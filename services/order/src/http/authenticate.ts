import type { RequestHandler } from 'express';
import { AppError } from '@orderflow/platform';
import type { Customer } from '../domain/order.js';
import type { Authenticator } from '../ports.js';

const bearer = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/;

/**
 * Requires a customer's token. A request refused here counts against its address's limit
 * (`limitRefused`): requests without a valid token share one budget per address, while a
 * customer's own requests, limited per customer, never use up their address's.
 */
export function authenticate(
  authenticator: Authenticator,
  limitRefused: RequestHandler,
): RequestHandler {
  return async (req, res, next) => {
    try {
      const token = req.get('authorization')?.match(bearer)?.[1];
      if (!token) throw new AppError('unauthenticated', 'send Authorization: Bearer <token>');
      res.locals.customer = await authenticator.authenticate(token);
    } catch (refused) {
      // Over the address's limit the 429 wins; under it, the refusal itself.
      void limitRefused(req, res, (limited?: unknown) => {
        next(limited ?? refused);
      });
      return;
    }
    next();
  };
}

export function customerOf(locals: Record<string, unknown>): Customer {
  return locals.customer as Customer;
}
