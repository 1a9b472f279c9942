import { expect } from 'chai';
import { orderPlacedV1Schema } from '@orderflow/events';
import { call, placeOrder } from './support/api.js';
import { aCatalog, aCustomer } from './support/clients.js';
import { eventually } from './support/eventually.js';
import { eventOf, mailsTo, segmentOf, webhooksOf } from './support/observe.js';

describe('the order flow, end to end', () => {
  it('places an order and all three side effects happen', async () => {
    const catalog = await aCatalog({
      sellers: [{}, {}, { webhook: false }],
      products: [
        { seller: 0, priceCents: 1250, stock: 5 },
        { seller: 1, priceCents: 999, stock: 5 },
        { seller: 2, priceCents: 400, stock: 5 },
      ],
    });
    const [a, b, c] = catalog.products.map((p) => p.id);
    const customer = await aCustomer();

    const placed = await placeOrder(customer.token, [
      { productId: a!, quantity: 2 },
      { productId: b!, quantity: 1 },
      { productId: c!, quantity: 3 },
    ]);

    expect(placed.status).to.equal(201);
    expect(placed.body.totalCents).to.equal(2 * 1250 + 999 + 3 * 400);
    const orderId = placed.body.id as string;
    expect(placed.headers.get('location')).to.equal(`/orders/${orderId}`);

    const order = await eventually(async () => {
      const { body } = await call('GET', `/orders/${orderId}`, { token: customer.token });
      const states = Object.values(body.fulfilment as Record<string, { state: string }>);
      expect(states.map((s) => s.state)).to.deep.equal(['done', 'done', 'done']);
      return body;
    });
    expect(Object.keys(order.fulfilment as object)).to.have.members([
      'notification',
      'seller',
      'segmentation',
    ]);

    const [confirmation, ...moreMails] = await mailsTo(customer.email);
    expect(moreMails).to.be.empty;
    expect(confirmation?.subject).to.contain(orderId);

    const webhooks = await webhooksOf(orderId);
    expect(webhooks.map((w) => w.sellerId)).to.have.members([
      catalog.sellers[0]!.id,
      catalog.sellers[1]!.id,
    ]);
    expect(webhooks.every((w) => w.signatureValid)).to.equal(true);
    const sellerMail = await mailsTo(catalog.sellers[2]!.email);
    expect(sellerMail).to.have.length(1);

    const segment = await segmentOf(customer.id);
    expect(segment).to.include({ orderCount: 1, segment: 'new' });
    expect(segment?.totalSpentCents).to.deep.equal({ EUR: 4699 });
  });

  it('publishes an event that validates against the shared schema', async () => {
    const catalog = await aCatalog({ products: [{}] });
    const customer = await aCustomer();
    const placed = await placeOrder(customer.token, [
      { productId: catalog.products[0]!.id, quantity: 1 },
    ]);
    const { event } = await eventOf(placed.body.id as string);
    expect(event.type).to.equal('order.placed.v1');
    expect(orderPlacedV1Schema.safeParse(event.data).success).to.equal(true);
  });
});
