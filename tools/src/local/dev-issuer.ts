import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { sellerClaim } from '@orderflow/platform';
import { listen, type RunningServer } from './http.js';

/**
 * A development identity provider: one signing key, kept in the local state directory,
 * whose public half it serves as a JWKS. The local order service trusts it; nothing else does.
 */
export const devTokenAlgorithm = 'ES256';
const alg = devTokenAlgorithm;

export async function loadOrCreateDevKey(path: string): Promise<JWK> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as JWK;
  } catch {
    const { privateKey } = await generateKeyPair(alg, { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'orderflow-dev', alg };
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, JSON.stringify(jwk), { mode: 0o600 });
    return jwk;
  }
}

export function publicJwk(privateJwk: JWK): JWK {
  const { d: _private, ...publicPart } = privateJwk;
  return publicPart;
}

export interface DevTokenClaims {
  sub: string;
  email?: string | undefined;
  /** Makes it a seller's token: the seller its holder acts for (libs/platform seller-auth.ts). */
  sellerId?: string | undefined;
  issuer: string;
  audience: string;
  expiresIn?: string;
}

export async function signDevToken(privateJwk: JWK, claims: DevTokenClaims): Promise<string> {
  return new SignJWT({
    ...(claims.email === undefined ? {} : { email: claims.email }),
    ...(claims.sellerId === undefined ? {} : { [sellerClaim]: claims.sellerId }),
  })
    .setProtectedHeader({ alg, kid: privateJwk.kid ?? 'orderflow-dev' })
    .setSubject(claims.sub)
    .setIssuer(claims.issuer)
    .setAudience(claims.audience)
    .setIssuedAt()
    .setExpirationTime(claims.expiresIn ?? '1h')
    .sign(await importJWK(privateJwk, alg));
}

export async function startDevIssuer(port: number, privateJwk: JWK): Promise<RunningServer> {
  const jwks = JSON.stringify({ keys: [publicJwk(privateJwk)] });
  const server = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks);
    } else {
      res.writeHead(404).end();
    }
  });
  return listen(server, port);
}
