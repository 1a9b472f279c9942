import cors, { type CorsOptions } from 'cors';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export interface BrowserAccess {
  /** Origins whose pages may call the API; every other origin gets no CORS headers at all. */
  corsOrigins: readonly string[];
  /** Strict-Transport-Security: on behind Google's HTTPS front end, off for plain local HTTP. */
  hsts: boolean;
}

const allowedHeaders = ['Authorization', 'Content-Type', 'Idempotency-Key'];

/** What a page may read of a response besides the CORS-safelisted headers. */
const exposedHeaders = [
  'Location',
  'Link',
  'ETag',
  'Idempotent-Replayed',
  'Retry-After',
  // The IETF RateLimit fields, in the current draft's form and the earlier one's.
  'RateLimit',
  'RateLimit-Policy',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
];

/** Security headers on every response, then CORS for the allowed origins. */
export function browserAccess({ corsOrigins, hsts }: BrowserAccess): RequestHandler[] {
  const allowed = new Set(corsOrigins);
  const options: CorsOptions = {
    origin: true,
    allowedHeaders,
    exposedHeaders,
    methods: ['GET', 'HEAD', 'POST'],
    maxAge: 600,
  };
  return [
    helmet({ strictTransportSecurity: hsts }),
    // Answers differ by Origin whether or not it is allowed: caches must keep them apart.
    (_req, res, next) => {
      res.vary('Origin');
      next();
    },
    cors((req, callback) => {
      const origin = req.headers.origin;
      // `origin: false` makes the middleware add nothing, not even Vary, and pass the request on.
      callback(null, origin && allowed.has(origin) ? options : { origin: false });
    }),
  ];
}
