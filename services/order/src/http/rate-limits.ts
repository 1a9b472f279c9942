import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { AppError } from '@orderflow/platform';
import { customerOf } from './authenticate.js';

/** A sustained rate and the most requests let through at once. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

export interface RateLimits {
  /** Per customer, on POST /orders. */
  customer: RateLimit;
  /** Per client address, for requests that do not carry a valid token. */
  address: RateLimit;
}

/**
 * express-rate-limit counts in fixed windows, so a rate with a burst becomes one window of
 * `burst / perSecond` seconds holding `burst` requests: the same sustained rate, and never more
 * than `burst` in a row. Each instance counts for itself (see README, Abuse limits).
 */
function limiter(limit: RateLimit, identifier: string, options: Partial<Options>): RequestHandler {
  return rateLimit({
    windowMs: Math.ceil((limit.burst / limit.perSecond) * 1000),
    limit: limit.burst,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier,
    handler: (_req, _res, next) => {
      next(new AppError('rate-limited', `over ${limit.perSecond} requests a second; retry later`));
    },
    ...options,
  });
}

/** On POST /orders, after authentication: one customer's flood never limits another. */
export const perCustomer = (limit: RateLimit): RequestHandler =>
  limiter(limit, 'orders-per-customer', {
    keyGenerator: (_req, res) => `customer:${customerOf(res.locals).id}`,
  });

/**
 * Per client address: every request to the catalog, and every request that `authenticate`
 * refuses. Counting requests before they turn out to be authenticated would let many customers
 * behind one address (a flash sale from one office) run into each other's 429s.
 */
export const perAddress = (limit: RateLimit): RequestHandler =>
  limiter(limit, 'requests-per-address', {
    keyGenerator: (req) => `address:${ipKeyGenerator(req.ip ?? 'unknown')}`,
  });
