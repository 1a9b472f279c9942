import type { RequestHandler } from 'express';
import * as z from 'zod';
import { requireBearer, type BearerTokenVerifier } from './bearer-tokens.js';
import { resourceId } from './ids.js';

/**
 * The claim that makes a token a seller's: the id of the seller (in `sellers/{id}`) its holder
 * acts for. The identity provider sets it on the accounts of a seller's staff (a custom claim,
 * which only the provider's administrators can set); customers' tokens never carry it. `sub` is
 * the person, recorded in the order's history.
 */
export const sellerClaim = 'seller_id';

export interface SellerIdentity {
  sellerId: string;
  /** The person acting for the seller: the token's `sub`. */
  userId: string;
}

const claims = z.object({ sub: z.string().min(1).max(255), [sellerClaim]: resourceId });

export interface SellerAuthenticator {
  /** The seller a bearer token speaks for; rejects a token without a valid `seller_id`. */
  authenticateSeller(token: string): Promise<SellerIdentity>;
}

/** Seller tokens, verified like every token of the identity provider, then held to the claim. */
export class JwksSellerAuthenticator implements SellerAuthenticator {
  constructor(private readonly verifier: BearerTokenVerifier) {}

  async authenticateSeller(token: string): Promise<SellerIdentity> {
    const verified = await this.verifier.verify(token, claims, ['sub', sellerClaim]);
    return { sellerId: verified[sellerClaim], userId: verified.sub };
  }
}

/** For every seller API (the order service's seller routes, and any later one). */
export const requireSeller = (
  authenticator: SellerAuthenticator,
  limitRefused: RequestHandler,
): RequestHandler =>
  requireBearer('seller', (token) => authenticator.authenticateSeller(token), limitRefused);

export const sellerOf = (locals: Record<string, unknown>) => locals.seller as SellerIdentity;
