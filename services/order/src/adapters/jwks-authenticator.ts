import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import * as z from 'zod';
import { customerSchema } from '@orderflow/events';
import { AppError, resourceId } from '@orderflow/platform';
import type { Customer } from '../domain/order.js';
import type { Authenticator } from '../ports.js';

/** Asymmetric algorithms only: a shared-secret one would let anyone with the JWKS sign tokens. */
export const tokenAlgorithms = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'ES256',
  'ES384',
  'EdDSA',
] as const;
export type TokenAlgorithm = (typeof tokenAlgorithms)[number];

/** Larger than any ID token an identity provider issues; refused before anything is decoded. */
export const maxTokenBytes = 8 * 1024;
const clockToleranceSeconds = 5;

export interface JwksAuthenticatorOptions {
  issuer: string;
  audience: string;
  /** The ones the issuer signs with; a token in any other is refused. */
  algorithms: readonly TokenAlgorithm[];
  /** A JWKS URL, or a key set already in hand (tests). */
  keys: URL | JWTVerifyGetKey;
}

/**
 * The claims an order needs, by the same rules the order's event is held to: `sub` becomes a
 * Firestore document id downstream, `email` goes into `order.placed`. An issuer that says the
 * address is unverified is refused.
 */
const claims = z.object({
  sub: resourceId,
  email: customerSchema.shape.email,
  email_verified: z.literal(true, 'the email is not verified').optional(),
});

/** Verifies the signature (JWKS), algorithm, issuer, audience, expiry and claims of a token. */
export class JwksAuthenticator implements Authenticator {
  private remoteKeys: JWTVerifyGetKey | undefined;

  constructor(private readonly options: JwksAuthenticatorOptions) {}

  /** The remote key set is made on the first token: making it loads node's TextDecoder, ~25 ms of every start. */
  private get keys(): JWTVerifyGetKey {
    const { keys } = this.options;
    return keys instanceof URL ? (this.remoteKeys ??= createRemoteJWKSet(keys)) : keys;
  }

  async authenticate(token: string): Promise<Customer> {
    if (token.length > maxTokenBytes) {
      throw new AppError('unauthenticated', `the token is over ${maxTokenBytes} bytes`);
    }
    const payload = await jwtVerify(token, this.keys, {
      issuer: this.options.issuer,
      audience: this.options.audience,
      algorithms: [...this.options.algorithms],
      clockTolerance: clockToleranceSeconds,
      requiredClaims: ['exp', 'sub', 'email'],
    }).then(
      (verified) => verified.payload,
      (error: unknown) => {
        if (!(error instanceof errors.JOSEError)) throw error;
        throw new AppError('unauthenticated', `the token does not verify: ${error.message}`);
      },
    );
    const result = claims.safeParse(payload);
    if (!result.success) {
      const reasons = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      throw new AppError(
        'unauthenticated',
        `the token's claims are not usable: ${reasons.join('; ')}`,
      );
    }
    return { id: result.data.sub, email: result.data.email };
  }
}
