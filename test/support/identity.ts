import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';

export interface TokenOptions {
  issuer?: string;
  audience?: string;
  /** A jose time span (`'1h'`, `'-1m'`) or seconds since the epoch. */
  expiresIn?: string | number;
  /** Sign with a key the issuer never published, under the published key id. */
  forged?: boolean;
}

export interface TestIssuer {
  issuer: string;
  algorithm: 'ES256' | 'RS256';
  audience: string;
  /** The issuer's published keys, as a verifier takes them. */
  keys: JWTVerifyGetKey;
  token(claims?: JWTPayload, options?: TokenOptions): Promise<string>;
}

/** An identity provider in memory: a key pair (ES256 unless told), its JWKS, and tokens signed with it. */
export async function aTestIssuer(
  defaults: { issuer?: string; audience?: string; alg?: 'ES256' | 'RS256' } = {},
): Promise<TestIssuer> {
  const alg = defaults.alg ?? 'ES256';
  const issuer = defaults.issuer ?? 'https://issuer.test';
  const audience = defaults.audience ?? 'orderflow-test';
  const kid = 'test-key';
  const [own, stranger] = await Promise.all([generateKeyPair(alg), generateKeyPair(alg)]);
  const keys = createLocalJWKSet({
    keys: [{ ...(await exportJWK(own.publicKey)), kid, alg }],
  });
  return {
    issuer,
    algorithm: alg,
    audience,
    keys,
    token: (claims = {}, options = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg, kid })
        .setIssuer(options.issuer ?? issuer)
        .setAudience(options.audience ?? audience)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? '5m')
        .sign(options.forged ? stranger.privateKey : own.privateKey),
  };
}

export const bearer = (token: string) => `Bearer ${token}`;
