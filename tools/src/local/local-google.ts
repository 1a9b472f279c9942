import { randomUUID } from 'node:crypto';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type JWK,
  type JWTPayload,
} from 'jose';
import { googleAlgorithm, googleIssuers } from '@orderflow/platform';

/**
 * Google's ID-token issuer, played locally: tokens say `iss: https://accounts.google.com` as
 * Google's do, but are signed with a key made at start-up, whose JWKS the front-end stand-in
 * serves. A service pointed at that JWKS (`PUSH_AUTH_JWKS_URL`) verifies them as it would
 * Google's; nothing outside this machine trusts them.
 */
export interface LocalGoogle {
  /** Where the stand-in serves the JWKS, as Google does at www.googleapis.com. */
  jwksPath: string;
  jwks(): { keys: JWK[] };
  /** An ID token of `email` for `audience`, as Google mints it for a push or a scheduled call. */
  mint(email: string, audience: string, claims?: JWTPayload): Promise<string>;
  /** The claims of a token this issuer signed, or a rejection. */
  verify(token: string): Promise<JWTPayload>;
}

const [issuer = 'https://accounts.google.com'] = googleIssuers;

export async function createLocalGoogle(): Promise<LocalGoogle> {
  const { privateKey, publicKey } = await generateKeyPair(googleAlgorithm);
  const kid = `local-${randomUUID()}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: googleAlgorithm, use: 'sig' };
  const keys = createLocalJWKSet({ keys: [jwk] });
  return {
    jwksPath: '/oauth2/v3/certs',
    jwks: () => ({ keys: [jwk] }),
    mint: (email, audience, claims = {}) =>
      new SignJWT({ email, email_verified: true, azp: email, ...claims })
        .setProtectedHeader({ alg: googleAlgorithm, kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setSubject(email)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(privateKey),
    verify: async (token) =>
      (await jwtVerify(token, keys, { issuer: googleIssuers, algorithms: [googleAlgorithm] }))
        .payload,
  };
}
