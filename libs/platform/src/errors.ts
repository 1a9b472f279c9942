/**
 * Every error a client can see, by code. One table maps each code to its HTTP status;
 * the problem middleware writes them as RFC 9457 problem documents.
 */
export const problems = {
  'invalid-request': { status: 400, title: 'The request is invalid' },
  unauthenticated: { status: 401, title: 'Authentication is required' },
  'not-found': { status: 404, title: 'Not found' },
  'insufficient-stock': { status: 409, title: 'Not enough stock' },
  'not-cancellable': { status: 409, title: 'A seller has shipped: the order cannot be cancelled' },
  'transition-not-allowed': { status: 409, title: "The order's part is past this step" },
  'payload-too-large': { status: 413, title: 'The request body is too large' },
  'unsupported-media-type': { status: 415, title: 'The request body must be JSON' },
  'unknown-product': { status: 422, title: 'Unknown product' },
  'mixed-currencies': { status: 422, title: 'An order is priced in one currency' },
  'amount-too-large': { status: 422, title: 'An amount is over the maximum' },
  'invalid-order': { status: 422, title: 'The order cannot be placed as it stands' },
  'idempotency-key-reused': {
    status: 422,
    title: 'This Idempotency-Key was used with a different request',
  },
  'rate-limited': { status: 429, title: 'Too many requests, retry after the time given' },
  'request-aborted': { status: 400, title: 'The client aborted the request' },
  /** Contention or a slow store: nothing was done (see the README on an answer that was lost). */
  busy: { status: 503, title: 'Busy, retry after the time given', retryAfterSeconds: 1 },
  'invalid-event': { status: 400, title: 'Not a valid event for this subscriber' },
  'delivery-in-progress': { status: 409, title: 'Another delivery of this event is in progress' },
  'effect-failed': { status: 503, title: 'The side effect failed; Pub/Sub will retry' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string; retryAfterSeconds?: number }>;

export type ProblemCode = keyof typeof problems;

export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}
