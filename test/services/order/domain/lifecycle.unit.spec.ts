import { expect } from 'chai';
import { AppError } from '@orderflow/platform';
import {
  decide,
  lifecycleOf,
  type Command,
  type OrderRecord,
} from '@orderflow/order/domain/lifecycle';
import { placeOrder } from '@orderflow/order/domain/order';
import { aCustomer, aProduct, catalogOf } from '../../../support/catalog.js';

const now = new Date('2026-01-02T03:04:05.000Z');
const ada = aCustomer({ id: 'ada' });

/** An order of two sellers' parts: two mugs from pottery, one scarf from wool. */
function twoSellerOrder(): OrderRecord {
  const mug = aProduct({ id: 'mug', sellerId: 'pottery', priceCents: 1000 });
  const scarf = aProduct({ id: 'scarf', sellerId: 'wool', priceCents: 3000 });
  return placeOrder({
    orderId: 'o-1',
    customer: ada,
    items: [
      { productId: 'mug', quantity: 2 },
      { productId: 'scarf', quantity: 1 },
    ],
    products: catalogOf(mug, scarf),
    now,
  }).order;
}

/** Applies commands in turn, as the store does, and returns the order after them. */
function after(order: OrderRecord, ...commands: Command[]): OrderRecord {
  return commands.reduce((current, command) => {
    const decision = decide(current, command, now);
    return decision.kind === 'changed' ? { ...current, ...decision.lifecycle } : current;
  }, order);
}

function refusal(order: OrderRecord, command: Command): AppError {
  try {
    decide(order, command, now);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the command was not refused');
}

const cancel: Command = { kind: 'cancel', customerId: 'ada' };
const ship = (sellerId: string, trackingNumber = 'TRACK-1'): Command => ({
  kind: 'ship',
  sellerId,
  trackingNumber,
});
const reject = (sellerId: string): Command => ({ kind: 'reject', sellerId, reason: 'out of wool' });

describe('order lifecycle', () => {
  it('gives an order no transition touched one pending part per seller and its placing', () => {
    const lifecycle = lifecycleOf(twoSellerOrder());
    expect(lifecycle.parts).to.deep.equal([
      { sellerId: 'pottery', state: 'pending' },
      { sellerId: 'wool', state: 'pending' },
    ]);
    expect(lifecycle.history.map((h) => h.action)).to.deep.equal(['placed']);
    expect(lifecycle.sequence).to.equal(1);
  });

  it('cancels every part, all lines refunded, the sequence one more', () => {
    const decision = decide(twoSellerOrder(), cancel, now);
    if (decision.kind !== 'changed') throw new Error('unchanged');
    expect(decision.lifecycle.status).to.equal('cancelled');
    expect(decision.lifecycle.parts.map((p) => p.state)).to.deep.equal(['cancelled', 'cancelled']);
    expect(decision.cancelledLines.map((l) => l.productId)).to.deep.equal(['mug', 'scarf']);
    expect(decision.lifecycle.sequence).to.equal(2);
    expect(decision.lifecycle.history.at(-1)).to.deep.include({
      action: 'cancelled',
      by: { kind: 'customer', id: 'ada' },
      sequence: 2,
    });
  });

  it('answers a second cancel with no change', () => {
    expect(decide(after(twoSellerOrder(), cancel), cancel, now)).to.deep.equal({
      kind: 'unchanged',
    });
  });

  it('refuses a cancel once a seller has shipped, and another customer sees no order', () => {
    expect(refusal(after(twoSellerOrder(), ship('pottery')), cancel).code).to.equal(
      'not-cancellable',
    );
    expect(refusal(twoSellerOrder(), { kind: 'cancel', customerId: 'bob' }).code).to.equal(
      'not-found',
    );
  });

  it('cancels only the rest of an order a seller rejected part of', () => {
    const decision = decide(after(twoSellerOrder(), reject('wool')), cancel, now);
    if (decision.kind !== 'changed') throw new Error('unchanged');
    expect(decision.sellerIds).to.deep.equal(['pottery']);
    expect(decision.cancelledLines.map((l) => l.productId)).to.deep.equal(['mug']);
  });

  it("rejects one seller's part: its lines only, the order still placed", () => {
    const decision = decide(twoSellerOrder(), reject('wool'), now);
    if (decision.kind !== 'changed') throw new Error('unchanged');
    expect(decision.lifecycle.status).to.equal('placed');
    expect(decision.cancelledLines.map((l) => l.productId)).to.deep.equal(['scarf']);
    expect(decision.lifecycle.parts).to.deep.include({
      sellerId: 'wool',
      state: 'rejected',
      reason: 'out of wool',
    });
  });

  it('is cancelled once every part is rejected, shipped once every remaining part shipped', () => {
    expect(after(twoSellerOrder(), reject('wool'), reject('pottery')).status).to.equal('cancelled');
    expect(after(twoSellerOrder(), reject('wool'), ship('pottery')).status).to.equal('shipped');
    expect(after(twoSellerOrder(), ship('wool')).status).to.equal('placed');
  });

  it('moves a part forward only, and a repeated action changes nothing', () => {
    const accepted = after(twoSellerOrder(), { kind: 'accept', sellerId: 'wool' });
    expect(decide(accepted, { kind: 'accept', sellerId: 'wool' }, now).kind).to.equal('unchanged');
    const shipped = after(accepted, ship('wool'));
    expect(decide(shipped, ship('wool'), now).kind).to.equal('unchanged');
    for (const command of [
      ship('wool', 'OTHER'),
      reject('wool'),
      { kind: 'accept', sellerId: 'wool' } as const,
    ]) {
      expect(refusal(shipped, command).code).to.equal('transition-not-allowed');
    }
    expect(refusal(after(twoSellerOrder(), cancel), ship('wool')).code).to.equal(
      'transition-not-allowed',
    );
  });

  it('answers a seller with no part in the order as if there were no order', () => {
    expect(refusal(twoSellerOrder(), ship('glass')).code).to.equal('not-found');
  });
});
