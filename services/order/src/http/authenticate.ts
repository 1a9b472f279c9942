import type { RequestHandler } from 'express';
import { AppError } from '@orderflow/platform';
import type { Customer } from '../domain/order.js';
import type { Authenticator } from '../ports.js';

const bearer = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/;

export function authenticate(authenticator: Authenticator): RequestHandler {
  return async (req, res, next) => {
    const token = req.get('authorization')?.match(bearer)?.[1];
    if (!token) throw new AppError('unauthenticated', 'send Authorization: Bearer <token>');
    res.locals.customer = await authenticator.authenticate(token);
    next();
  };
}

export function customerOf(locals: Record<string, unknown>): Customer {
  return locals.customer as Customer;
}
