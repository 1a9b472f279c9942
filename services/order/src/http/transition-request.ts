import type { RequestHandler } from 'express';
import * as z from 'zod';
import { requireJson } from '@orderflow/platform';

const reason = z.string().trim().min(1).max(500);

export const acceptBody = z.strictObject({});
export const cancelBody = z.strictObject({ reason: reason.optional() });
export const shipBody = z.strictObject({ trackingNumber: z.string().trim().min(1).max(100) });
export const rejectBody = z.strictObject({ reason });

/** A body is optional (a cancel without a reason), but one that is sent must be JSON. */
export const optionalJson: RequestHandler = (req, res, next) => {
  const empty =
    req.get('transfer-encoding') === undefined && Number(req.get('content-length') ?? 0) === 0;
  if (empty) {
    next();
    return;
  }
  requireJson(req, res, next);
};
