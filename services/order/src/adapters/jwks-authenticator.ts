import * as z from 'zod';
import { customerSchema } from '@orderflow/events';
import { BearerTokenVerifier, resourceId, type BearerTokenOptions } from '@orderflow/platform';
import type { Customer } from '../domain/order.js';
import type { Authenticator } from '../ports.js';

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

/** A customer's token: verified (BearerTokenVerifier), then held to the claims an order needs. */
export class JwksAuthenticator implements Authenticator {
  private readonly verifier: BearerTokenVerifier;

  constructor(options: BearerTokenOptions) {
    this.verifier = new BearerTokenVerifier(options);
  }

  async authenticate(token: string): Promise<Customer> {
    const verified = await this.verifier.verify(token, claims, ['sub', 'email']);
    return { id: verified.sub, email: verified.email };
  }
}
