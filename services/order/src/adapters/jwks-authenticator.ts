import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AppError } from '@orderflow/platform';
import type { Customer } from '../domain/order.js';
import type { Authenticator } from '../ports.js';

export interface JwksAuthenticatorOptions {
  issuer: string;
  audience: string;
  /** A JWKS URL, or a key set already in hand (tests). */
  keys: URL | JWTVerifyGetKey;
}

/** Verifies the signature (JWKS), issuer, audience and expiry of a bearer token. */
export class JwksAuthenticator implements Authenticator {
  private readonly keys: JWTVerifyGetKey;

  constructor(private readonly options: JwksAuthenticatorOptions) {
    this.keys = options.keys instanceof URL ? createRemoteJWKSet(options.keys) : options.keys;
  }

  async authenticate(token: string): Promise<Customer> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.options.issuer,
        audience: this.options.audience,
      });
      if (!payload.sub || typeof payload.email !== 'string') {
        throw new AppError('unauthenticated', 'the token lacks the sub or email claim');
      }
      return { id: payload.sub, email: payload.email };
    } catch (error) {
      if (error instanceof AppError) throw error;
      if (error instanceof errors.JOSEError) {
        throw new AppError('unauthenticated', `the token does not verify: ${error.code}`);
      }
      throw error;
    }
  }
}
