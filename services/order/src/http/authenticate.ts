import type { RequestHandler } from 'express';
import { requireBearer } from '@orderflow/platform';
import type { Customer } from '../domain/order.js';
import type { Authenticator } from '../ports.js';

/** Requires a customer's token (see requireBearer for the limit on refused requests). */
export const authenticate = (
  authenticator: Authenticator,
  limitRefused: RequestHandler,
): RequestHandler =>
  requireBearer('customer', (token) => authenticator.authenticate(token), limitRefused);

export function customerOf(locals: Record<string, unknown>): Customer {
  return locals.customer as Customer;
}
