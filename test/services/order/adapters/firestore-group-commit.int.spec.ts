import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import type { Firestore } from '@google-cloud/firestore';
import {
  defaultStoreLimits,
  FirestoreOrderStore,
} from '@orderflow/order/adapters/firestore-order-store';
import {
  shardRefs,
  stockFields,
  stockUpdate,
  writeShards,
} from '@orderflow/order/adapters/firestore-stock';
import type { Customer, OrderItem, Product } from '@orderflow/order/domain/order';
import { splitEvenly } from '@orderflow/order/domain/stock-shards';
import type { PlaceOrderCommand, PlaceOrderOutcome } from '@orderflow/order/ports';
import { createFirestore } from '@orderflow/platform';
import { testConfig } from '../../../system/fixture.js';
import { aCustomer, aProduct } from '../../../support/catalog.js';

/**
 * Group commit against the emulator: orders for the same products that one store holds at once.
 * The first order of a quiet product commits alone; those placed while its commit is in flight
 * make the next batch, which is what each test sets up.
 */
describe('FirestoreOrderStore group commit, on the Firestore emulator', function () {
  this.timeout(60_000);
  let db: Firestore;
  let store: FirestoreOrderStore;

  beforeEach(() => {
    db = createFirestore({ ...testConfig, GOOGLE_CLOUD_PROJECT: `demo-group-${randomUUID()}` });
    store = new FirestoreOrderStore(db, { ...defaultStoreLimits, timeoutMs: 20_000 });
  });

  afterEach(async () => {
    await db.terminate();
  });

  const addProduct = async ({ id, stock, ...product }: Product, shards = 1) => {
    const batch = db.batch();
    const levels = splitEvenly(stock, shards);
    batch.set(db.collection('products').doc(id), { ...product, ...stockFields(levels) });
    writeShards(batch, db.collection('products').doc(id), levels, []);
    await batch.commit();
  };
  const stockOf = async (id: string) =>
    (await db.collection('products').doc(id).get()).get('stock') as number;
  const ordersOf = async (customer: Customer) =>
    (await db.collection('orders').where('customer.id', '==', customer.id).get()).size;
  const command = (items: OrderItem[], overrides: Partial<PlaceOrderCommand> = {}) => ({
    orderId: randomUUID(),
    eventId: randomUUID(),
    customer: aCustomer(),
    items,
    now: new Date(),
    ...overrides,
  });
  const outcome = (placed: Promise<PlaceOrderOutcome>) =>
    placed.then(
      (o) => o,
      (error: unknown) => (error as { code?: string }).code ?? String(error),
    );

  it('places one order for two requests with the same Idempotency-Key in one batch', async () => {
    const product = aProduct({ stock: 10 });
    await addProduct(product);
    const items = [{ productId: product.id, quantity: 1 }];
    const customer = aCustomer();
    const idempotency = { customerId: customer.id, key: randomUUID(), requestHash: 'same body' };

    const [, first, second] = await Promise.all([
      store.placeOrder(command(items)),
      store.placeOrder(command(items, { customer, idempotency })),
      store.placeOrder(command(items, { customer, idempotency })),
    ]);

    expect([first.kind, second.kind]).to.deep.equal(['placed', 'replayed']);
    expect(second.order.id).to.equal(first.order.id);
    expect(await ordersOf(customer)).to.equal(1);
    expect(await stockOf(product.id)).to.equal(8);
  });

  it('never commits a member whose deadline came while it waited, and commits the others', async () => {
    const product = aProduct({ stock: 10 });
    await addProduct(product);
    const items = [{ productId: product.id, quantity: 1 }];
    const late = command(items, { deadline: new Date(Date.now() + 100) });

    const outcomes = await Promise.all(
      [command(items), late, command(items)].map((c) => outcome(store.placeOrder(c))),
    );

    expect(outcomes.map((o) => (typeof o === 'string' ? o : o.kind))).to.deep.equal([
      'placed',
      'busy',
      'placed',
    ]);
    // Nothing later commits it either: the one after it in the queue was committed without it.
    expect((await db.collection('orders').doc(late.orderId).get()).exists).to.equal(false);
    expect(await ordersOf(late.customer)).to.equal(0);
    expect(await stockOf(product.id)).to.equal(8);
  });

  it('splits a batch larger than a commit holds (500 writes) over several commits', async () => {
    // Each keyed order writes its order, its outbox entry and its key: 300 of them are 900 writes.
    const buyers = 300;
    const product = aProduct({ stock: buyers });
    await addProduct(product);
    const items = [{ productId: product.id, quantity: 1 }];
    const commits = countWrites(db);

    const outcomes = await Promise.all(
      Array.from({ length: buyers }, () => {
        const customer = aCustomer();
        const idempotency = { customerId: customer.id, key: randomUUID(), requestHash: 'h' };
        return outcome(store.placeOrder(command(items, { customer, idempotency })));
      }),
    );

    expect(outcomes.filter((o) => typeof o !== 'string' && o.kind === 'placed')).to.have.length(
      buyers,
    );
    expect(await stockOf(product.id)).to.equal(0);
    expect((await db.collection('idempotencyKeys').count().get()).data().count).to.equal(buyers);
    // The emulator takes a commit of any size; Firestore refuses one over 500 writes.
    expect(Math.max(...commits)).to.be.within(400, 500);
    expect(commits.reduce((a, b) => a + b, 0)).to.be.at.least(3 * buyers + commits.length);
  });

  it('takes a shard that a re-shard removed after the product was read as a lost race, not as sold out', async () => {
    const product = aProduct({ stock: 4 });
    await addProduct(product, 4);
    const ref = db.collection('products').doc(product.id);
    // Between the read of the products and that of their shards, the stock is moved back into
    // the product document and the shards are deleted, as `npm run stock` does.
    let reshard: (() => Promise<unknown>) | undefined = async () => {
      const batch = db.batch();
      batch.update(ref, stockUpdate([4]));
      writeShards(batch, ref, [4], shardRefs(ref, 4));
      await batch.commit();
    };
    const getAll = db.getAll.bind(db);
    db.getAll = async (...refs) => {
      const read = await getAll(...refs);
      const once = refs.some((r) => 'path' in r && r.path === ref.path) ? reshard : undefined;
      if (once) {
        reshard = undefined;
        await once();
      }
      return read;
    };

    const placed = await store.placeOrder(command([{ productId: product.id, quantity: 1 }]));

    expect(placed.kind).to.equal('placed');
    expect(await stockOf(product.id)).to.equal(3);
  });
});

/** The number of writes of every batch `db` commits from now on, in order. */
function countWrites(db: Firestore): number[] {
  const commits: number[] = [];
  const batch = db.batch.bind(db);
  db.batch = () => {
    const real = batch();
    let writes = 0;
    return new Proxy(real, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, target) as unknown;
        if (typeof value !== 'function') return value;
        if (property === 'commit') {
          return () => {
            commits.push(writes);
            return real.commit();
          };
        }
        return (...args: unknown[]) => {
          writes += 1;
          (value as (...a: unknown[]) => unknown).apply(target, args);
          return receiver as unknown;
        };
      },
    });
  };
  return commits;
}
