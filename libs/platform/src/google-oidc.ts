import type { RequestHandler } from 'express';
import {
  base64url,
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  UnsecuredJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { AppError } from './errors.js';

export const googleIssuers = ['https://accounts.google.com', 'accounts.google.com'];
export const googleJwksUrl = 'https://www.googleapis.com/oauth2/v3/certs';
/** Google signs its ID tokens with RS256 (its JWKS lists only RSA keys). */
export const googleAlgorithm = 'RS256';

/**
 * What Cloud Run puts in place of the signature of the token it verified before it forwards
 * the request to a private service's container.
 * https://cloud.google.com/run/docs/authenticating/service-to-service
 */
export const removedSignature = 'SIGNATURE_REMOVED_BY_GOOGLE';

export interface GoogleOidcOptions {
  /** The audience the caller (a push subscription, Cloud Scheduler) puts in its OIDC token. */
  audience: string;
  /** The service account of the only caller allowed. */
  serviceAccount: string;
  /**
   * `cloud-run`: the service is a private Cloud Run service, whose front end has verified the
   * token against IAM and removed its signature; such a token's claims are checked here.
   * `oidc`: every token must carry a signature that verifies here.
   */
  mode: 'oidc' | 'cloud-run';
  /** Where the issuer publishes its keys: Google's, or a local stand-in's. */
  jwksUrl?: string;
  keys?: JWTVerifyGetKey;
}

/**
 * Defence in depth behind Cloud Run's own IAM check: the request must carry a Google OIDC
 * token for this audience, issued to the one allowed service account. A token with a real
 * signature is verified in either mode; one whose signature Cloud Run removed is accepted
 * only in `cloud-run` mode, so a service made public by mistake never trusts unsigned claims.
 */
export function verifyGoogleOidc(options: GoogleOidcOptions): RequestHandler {
  const keys = options.keys ?? createRemoteJWKSet(new URL(options.jwksUrl ?? googleJwksUrl));
  const claims = { issuer: googleIssuers, audience: options.audience };
  const signed = { ...claims, algorithms: [googleAlgorithm] };
  const unauthenticated = (detail: string) => new AppError('unauthenticated', detail);

  const verified = async (token: string): Promise<JWTPayload> => {
    const parts = token.split('.');
    const [header = '', payload = '', signature] = parts;
    if (parts.length !== 3 || signature !== removedSignature) {
      const result = await jwtVerify(token, keys, signed).catch(() => {
        throw unauthenticated('the OIDC token does not verify');
      });
      return result.payload;
    }
    if (options.mode !== 'cloud-run') {
      throw unauthenticated('the OIDC token has no signature, and this service is not private');
    }
    try {
      return forwardedClaims(header, payload, claims);
    } catch {
      throw unauthenticated('the forwarded OIDC token does not verify');
    }
  };

  return async (req, _res, next) => {
    const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!token) throw unauthenticated('the request carries no OIDC token');
    const payload = await verified(token);
    if (payload.email !== options.serviceAccount || payload.email_verified !== true) {
      throw unauthenticated('the OIDC token is not of the allowed service account');
    }
    next();
  };
}

/**
 * The claims of a token Cloud Run verified and forwarded without its signature. The header must
 * name the algorithm Google signs its ID tokens with. The claims (issuer, audience, expiry, not-before) are
 * checked by jose's own rules, which it applies to unsigned tokens only in the `alg: none` form:
 * hence the payload is re-wrapped in that form rather than checked by hand.
 */
function forwardedClaims(
  header: string,
  payload: string,
  claims: { issuer: string[]; audience: string },
): JWTPayload {
  if (decodeProtectedHeader(`${header}.${payload}.`).alg !== googleAlgorithm) {
    throw new Error('a forwarded token must name the algorithm Google signs with');
  }
  const unsigned = `${base64url.encode(JSON.stringify({ alg: 'none' }))}.${payload}.`;
  return UnsecuredJWT.decode(unsigned, claims).payload;
}
