import type { RequestHandler } from 'express';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import type * as z from 'zod';
import { AppError } from './errors.js';

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

export interface BearerTokenOptions {
  issuer: string;
  audience: string;
  /** The ones the issuer signs with; a token in any other is refused. */
  algorithms: readonly TokenAlgorithm[];
  /** A JWKS URL, or a key set already in hand (tests). */
  keys: URL | JWTVerifyGetKey;
}

/**
 * Verifies the tokens of the identity provider customers and sellers sign in with: signature
 * (JWKS), algorithm, issuer, audience, expiry, then the claims a caller requires, by its schema.
 * Every refusal is a 401 `unauthenticated` saying which check failed.
 */
export class BearerTokenVerifier {
  private remoteKeys: JWTVerifyGetKey | undefined;

  constructor(private readonly options: BearerTokenOptions) {}

  /** The remote key set is made on the first token: making it loads node's TextDecoder, ~25 ms of every start. */
  private get keys(): JWTVerifyGetKey {
    const { keys } = this.options;
    return keys instanceof URL ? (this.remoteKeys ??= createRemoteJWKSet(keys)) : keys;
  }

  async verify<S extends z.ZodType>(
    token: string,
    claims: S,
    required: string[],
  ): Promise<z.output<S>> {
    if (token.length > maxTokenBytes) {
      throw new AppError('unauthenticated', `the token is over ${maxTokenBytes} bytes`);
    }
    const payload: JWTPayload = await jwtVerify(token, this.keys, {
      issuer: this.options.issuer,
      audience: this.options.audience,
      algorithms: [...this.options.algorithms],
      clockTolerance: clockToleranceSeconds,
      requiredClaims: ['exp', ...required],
    }).then(
      (verified) => verified.payload,
      (error: unknown) => {
        if (!(error instanceof errors.JOSEError)) throw error;
        throw new AppError('unauthenticated', `the token does not verify: ${error.message}`);
      },
    );
    const result = claims.safeParse(payload);
    if (result.success) return result.data;
    const reasons = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AppError(
      'unauthenticated',
      `the token's claims are not usable: ${reasons.join('; ')}`,
    );
  }
}

const bearer = /^Bearer ([\w-]+\.[\w-]+\.[\w-]+)$/;

/**
 * Requires a bearer token that `authenticate` accepts, and puts who it speaks for in
 * `res.locals[name]`. A request refused here counts against its address's limit (`limitRefused`):
 * requests without a valid token share one budget per address, while an authenticated caller's
 * own requests never use up their address's.
 */
export function requireBearer<T>(
  name: string,
  authenticate: (token: string) => Promise<T>,
  limitRefused: RequestHandler,
): RequestHandler {
  return async (req, res, next) => {
    try {
      const token = req.get('authorization')?.match(bearer)?.[1];
      if (!token) throw new AppError('unauthenticated', 'send Authorization: Bearer <token>');
      res.locals[name] = await authenticate(token);
    } catch (refused) {
      // Over the address's limit the 429 wins; under it, the refusal itself.
      void limitRefused(req, res, (limited?: unknown) => {
        next(limited ?? refused);
      });
      return;
    }
    next();
  };
}
