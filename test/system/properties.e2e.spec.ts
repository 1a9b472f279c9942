import { expect } from 'chai';
import fc from 'fast-check';
import {
  aBodyText,
  aContentEncoding,
  aContentType,
  aHeaderValue,
  aPath,
} from '../support/arbitraries.js';
import { send, stockOf, type RawResponse } from './support/api.js';
import { localSystem } from './fixture.js';
import { aCatalog, aCustomer, firestore } from './support/clients.js';

/**
 * The property test of the order API (test/services/order/app.properties.http.spec.ts) sends
 * thousands of generated requests to the app on in-memory adapters; this one sends a few hundred
 * to the real service on the emulators, where Firestore's own rules and the real middleware stack
 * answer. Each request comes from an address of its own, so the per-address limit sees many
 * clients, the way a public API does: the test plays Cloud Run's front end, sending straight to
 * an instance with the `X-Forwarded-For` the front end would append (the service trusts one hop).
 */

let client = 0;

/** Each request from an address of its own, as the front end (the one hop trusted) would say. */
function sendFromAnAddress(
  method: string,
  path: string,
  headers: Record<string, string | undefined>,
  body?: string,
): Promise<RawResponse> {
  client += 1;
  const from = `198.18.${client >> 8}.${client & 255}`;
  return send(method, path, {
    origin: localSystem().urls.orderInstances['order#1'],
    headers: { ...headers, 'x-forwarded-for': from },
    ...(body === undefined ? {} : { body }),
  });
}

function expectNoServerError(answer: RawResponse): void {
  expect(answer.status, `${answer.status} ${answer.text}`).to.be.below(500);
  if (answer.status >= 400) {
    expect(answer.headers.get('content-type')).to.match(/^application\/problem\+json/);
  }
}

/** A well-formed order for the catalog: the generated requests must also reach the commit. */
const anOrder = (known: string[]) =>
  fc
    .array(
      fc.record({ productId: fc.constantFrom(...known), quantity: fc.integer({ min: 1, max: 3 }) }),
      {
        minLength: 1,
        maxLength: 3,
      },
    )
    .map((items) => JSON.stringify({ items }));

const count = async (collection: string) =>
  (await firestore().collection(collection).count().get()).data().count;

const written = async () => ({
  orders: await count('orders'),
  outbox: await count('outbox'),
  keys: await count('idempotencyKeys'),
});

describe('the running order service under generated requests (fast-check)', function () {
  this.timeout(180_000);

  it('a few hundred bodies, headers and paths: never a 5xx, and only what it accepted is written', async () => {
    const catalog = await aCatalog({
      products: [{ stock: 1_000_000 }, { stock: 1_000_000 }, { stock: 1_000_000, currency: 'JPY' }],
    });
    const known = catalog.products.map((p) => p.id);
    const before = await written();
    const accepted = { orders: 0, keys: 0, units: new Map<string, number>() };

    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          { arbitrary: anOrder(known), weight: 2 },
          { arbitrary: aBodyText(known), weight: 3 },
        ),
        fc.oneof(
          { arbitrary: fc.constant('valid' as const), weight: 3 },
          fc.constantFrom('forged' as const, 'garbage' as const, 'none' as const),
        ),
        aHeaderValue,
        fc.oneof({ arbitrary: fc.constant('application/json'), weight: 3 }, aContentType),
        aContentEncoding,
        fc.option(fc.oneof(fc.uuid(), aHeaderValue), { nil: undefined }),
        async (body, tokenKind, garbage, contentType, contentEncoding, key) => {
          // A customer per request: the per-customer limit never answers for the property.
          const { token } = await aCustomer();
          const authorization = {
            valid: `Bearer ${token}`,
            forged: `Bearer ${token.slice(0, -4)}AAAA`,
            garbage,
            none: undefined,
          }[tokenKind];
          const answer = await sendFromAnAddress(
            'POST',
            '/orders',
            {
              authorization,
              'content-type': contentType,
              'content-encoding': contentEncoding,
              'idempotency-key': key,
            },
            body,
          );

          expectNoServerError(answer);
          if (answer.status === 201) {
            accepted.orders += 1;
            if (key !== undefined) accepted.keys += 1;
            const order = JSON.parse(answer.text) as {
              lines: { productId: string; quantity: number }[];
            };
            for (const { productId, quantity } of order.lines) {
              accepted.units.set(productId, (accepted.units.get(productId) ?? 0) + quantity);
            }
          }
        },
      ),
      { numRuns: 300 },
    );

    await fc.assert(
      fc.asyncProperty(aPath(known), fc.boolean(), async (path, signedIn) => {
        const authorization = signedIn ? `Bearer ${(await aCustomer()).token}` : undefined;
        expectNoServerError(await sendFromAnAddress('GET', path, { authorization }));
      }),
      { numRuns: 100 },
    );

    // The generators reach the commit too, so the accounting below covers accepted orders.
    expect(accepted.orders).to.be.above(0);
    expect(await written()).to.deep.equal({
      orders: before.orders + accepted.orders,
      outbox: before.outbox + accepted.orders,
      keys: before.keys + accepted.keys,
    });
    for (const id of known) {
      expect(await stockOf(id), id).to.equal(1_000_000 - (accepted.units.get(id) ?? 0));
    }
  });
});
