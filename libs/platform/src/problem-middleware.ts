import type { ErrorRequestHandler, RequestHandler } from 'express';
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

/** Errors thrown by express.json(), which marks them with a `type`. */
function fromBodyParser(error: unknown): AppError | undefined {
  const type = (error as { type?: unknown }).type;
  if (type === 'entity.too.large')
    return new AppError('payload-too-large', 'the body exceeds the limit');
  if (type === 'entity.parse.failed')
    return new AppError('invalid-request', 'the body is not valid JSON');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
    return new AppError('unsupported-media-type', 'unsupported body encoding');
  }
  return undefined;
}

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = error instanceof AppError ? error : fromBodyParser(error);
    const problem = known ?? new AppError('internal', 'an unexpected error occurred');
    if (!known) logger.error('unhandled error', { path: req.path, ...errorFields(error) });
    res
      .status(problems[problem.code].status)
      .type('application/problem+json')
      .json(problemDocument(problem, req.originalUrl));
  };
}

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new AppError('not-found', `no route for ${req.method} ${req.path}`));
};

/** Rejects a body that is not JSON before express.json() would silently skip it. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (req.is('application/json')) {
    next();
    return;
  }
  next(new AppError('unsupported-media-type', 'send the body as application/json'));
};
