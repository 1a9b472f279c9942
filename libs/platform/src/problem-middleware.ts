import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { AppError, problems, type ProblemCode } from './errors.js';
import { errorFields, type Logger } from './logger.js';

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: ProblemCode;
  [extension: string]: unknown;
}

export function problemDocument(error: AppError, instance?: string): ProblemDocument {
  const { status, title } = problems[error.code];
  return {
    ...error.extensions,
    type: `urn:orderflow:problem:${error.code}`,
    title,
    status,
    detail: error.detail,
    code: error.code,
    ...(instance ? { instance } : {}),
  };
}

/**
 * Client errors raised by Express itself and by express.json() (`http-errors` with a 4xx
 * `status`, body-parser's `type`): a malformed path, an aborted upload, a bad encoding. They are
 * the client's doing, so never a 5xx.
 */
function fromClientError(error: unknown): AppError | undefined {
  const { status, type } = error as { status?: unknown; type?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  if (type === 'request.aborted') {
    return new AppError('request-aborted', 'the client closed the connection mid-body');
  }
  if (type === 'entity.parse.failed') {
    return new AppError('invalid-request', 'the body is not valid JSON');
  }
  if (status === 413) return new AppError('payload-too-large', 'the body exceeds the limit');
  if (status === 415) return new AppError('unsupported-media-type', 'unsupported body encoding');
  return new AppError('invalid-request', 'the request is malformed');
}

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = error instanceof AppError ? error : fromClientError(error);
    const problem = known ?? new AppError('internal', 'an unexpected error occurred');
    if (!known) logger.error('unhandled error', { path: req.path, ...errorFields(error) });
    // Likely no one reads this answer; the 400 keeps the request log's status a client error.
    if (problem.code === 'request-aborted')
      logger.info('client aborted the request', { path: req.path });
    // A request past its deadline was answered already; what its handler ends with has no reader.
    if (res.headersSent) {
      logger.info('request ended after its answer', { path: req.path, code: problem.code });
      return;
    }
    sendProblem(res, problem, req.originalUrl);
  };
}

/** Writes the problem document, and `Retry-After` where the table gives one for its code. */
export function sendProblem(res: Response, error: AppError, instance?: string): void {
  const entry: { status: number; retryAfterSeconds?: number } = problems[error.code];
  if (entry.retryAfterSeconds !== undefined)
    res.set('Retry-After', String(entry.retryAfterSeconds));
  res.status(entry.status).type('application/problem+json').json(problemDocument(error, instance));
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not-found', `no route for ${req.method} ${req.path}`));
};

/**
 * Rejects what express.json() would silently skip: a body that is not JSON, and one whose client
 * left before it was read (body-parser takes it for read already, as on-finished sees no readable
 * socket, and goes on without it), which is an aborted upload like one cut short mid-body.
 */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (req.destroyed) {
    next(
      new AppError('request-aborted', 'the client closed the connection before the body was read'),
    );
    return;
  }
  if (req.is('application/json')) {
    next();
    return;
  }
  next(new AppError('unsupported-media-type', 'send the body as application/json'));
};
