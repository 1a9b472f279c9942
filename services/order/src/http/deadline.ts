import type { RequestHandler, Response } from 'express';
import { AppError, sendProblem } from '@orderflow/platform';

/**
 * Gives every request a deadline below the platform's (Cloud Run answers 504 at its own request
 * timeout and the work goes on unseen). Handlers bound their work by it; should one still be
 * running at the deadline, the client gets `503 busy` with `Retry-After` now.
 */
export function requestDeadline(timeoutMs: number): RequestHandler {
  return (req, res, next) => {
    res.locals.deadline = Date.now() + timeoutMs;
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      sendProblem(res, new AppError('busy', 'the request did not finish in time'), req.originalUrl);
    }, timeoutMs);
    res.once('close', () => clearTimeout(timer));
    next();
  };
}

/** The deadline `requestDeadline` set, as epoch milliseconds. */
export function deadlineOf(res: Response): number {
  const deadline = res.locals.deadline as unknown;
  if (typeof deadline !== 'number') throw new Error('requestDeadline is not installed');
  return deadline;
}
