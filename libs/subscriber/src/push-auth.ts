import type { RequestHandler } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AppError } from '@orderflow/platform';

export interface PushAuthOptions {
  /** The audience the push subscription puts in its OIDC token. */
  audience: string;
  /** The push identity: the only caller allowed. */
  serviceAccount: string;
  keys?: JWTVerifyGetKey;
}

const googleKeys = () => createRemoteJWKSet(new URL('https://www.googleapis.com/oauth2/v3/certs'));

/**
 * Defence in depth behind Cloud Run's own IAM check: the push request must carry a
 * Google-signed OIDC token for this audience, issued to the push identity.
 */
export function verifyPushIdentity(options: PushAuthOptions): RequestHandler {
  const keys = options.keys ?? googleKeys();
  return async (req, _res, next) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!token) throw new AppError('unauthenticated', 'the push request carries no OIDC token');
    const { payload } = await jwtVerify(token, keys, {
      issuer: ['https://accounts.google.com', 'accounts.google.com'],
      audience: options.audience,
    }).catch(() => {
      throw new AppError('unauthenticated', 'the push OIDC token does not verify');
    });
    if (payload.email !== options.serviceAccount || payload.email_verified !== true) {
      throw new AppError('unauthenticated', 'the push OIDC token is not the push identity');
    }
    next();
  };
}
