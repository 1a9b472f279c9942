import type { RequestHandler } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AppError } from './errors.js';

export interface GoogleOidcOptions {
  /** The audience the caller (a push subscription, Cloud Scheduler) puts in its OIDC token. */
  audience: string;
  /** The service account of the only caller allowed. */
  serviceAccount: string;
  keys?: JWTVerifyGetKey;
}

const googleKeys = () => createRemoteJWKSet(new URL('https://www.googleapis.com/oauth2/v3/certs'));

/**
 * Defence in depth behind Cloud Run's own IAM check: the request must carry a
 * Google-signed OIDC token for this audience, issued to the one allowed service account.
 */
export function verifyGoogleOidc(options: GoogleOidcOptions): RequestHandler {
  const keys = options.keys ?? googleKeys();
  return async (req, _res, next) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!token) throw new AppError('unauthenticated', 'the request carries no OIDC token');
    const { payload } = await jwtVerify(token, keys, {
      issuer: ['https://accounts.google.com', 'accounts.google.com'],
      audience: options.audience,
    }).catch(() => {
      throw new AppError('unauthenticated', 'the OIDC token does not verify');
    });
    if (payload.email !== options.serviceAccount || payload.email_verified !== true) {
      throw new AppError('unauthenticated', 'the OIDC token is not of the allowed service account');
    }
    next();
  };
}
