import { expect } from 'chai';
import {
  noticeEmail,
  noticesBySeller,
  webhookId,
  webhookPayload,
} from '@orderflow/seller/domain/seller-notice';
import { aSeller } from '../../../support/catalog.js';
import { anOrderLine, anOrderPlaced } from '../../../support/events.js';

const mug = anOrderLine({
  productId: 'mug',
  sellerId: 'pottery',
  quantity: 2,
  unitPriceCents: 1250,
});
const scarf = anOrderLine({
  productId: 'scarf',
  sellerId: 'wool',
  quantity: 1,
  unitPriceCents: 4500,
});
const bowl = anOrderLine({
  productId: 'bowl',
  sellerId: 'pottery',
  quantity: 1,
  unitPriceCents: 899,
});
const order = anOrderPlaced({ orderId: 'order-7', lines: [mug, scarf, bowl] });

describe('noticesBySeller', () => {
  it('gives each seller its own lines and subtotal, in order of first appearance', () => {
    expect(noticesBySeller(order)).to.deep.equal([
      {
        orderId: 'order-7',
        sellerId: 'pottery',
        lines: [mug, bowl],
        subtotalCents: 2500 + 899,
        currency: 'EUR',
        placedAt: order.placedAt,
      },
      {
        orderId: 'order-7',
        sellerId: 'wool',
        lines: [scarf],
        subtotalCents: 4500,
        currency: 'EUR',
        placedAt: order.placedAt,
      },
    ]);
  });

  it('the subtotals add up to the order total', () => {
    const sum = noticesBySeller(order).reduce((total, n) => total + n.subtotalCents, 0);
    expect(sum).to.equal(order.totalCents);
  });
});

describe('webhookId', () => {
  it('is the same for the same event and seller, different otherwise', () => {
    expect(webhookId('evt-1', 'pottery')).to.equal('msg_evt-1_pottery');
    expect(webhookId('evt-1', 'pottery')).to.equal(webhookId('evt-1', 'pottery'));
    expect(webhookId('evt-1', 'wool')).not.to.equal(webhookId('evt-1', 'pottery'));
    expect(webhookId('evt-2', 'pottery')).not.to.equal(webhookId('evt-1', 'pottery'));
  });
});

describe('webhookPayload', () => {
  it('has the Standard Webhooks payload shape around the notice', () => {
    const [notice] = noticesBySeller(order);
    expect(webhookPayload(notice!)).to.deep.equal({
      type: 'order.placed',
      timestamp: order.placedAt,
      data: notice,
    });
  });
});

describe('noticeEmail', () => {
  it('lists the seller its lines and subtotal, with a message id per event and seller', () => {
    const [notice] = noticesBySeller(order);
    const seller = aSeller({ id: 'pottery', name: 'Pottery Co', email: 'shop@pottery.example' });
    const mail = noticeEmail(seller, notice!, 'evt-1');

    expect(mail.to).to.equal('shop@pottery.example');
    expect(mail.subject).to.include('order-7');
    expect(mail.messageId).to.equal('<evt-1.pottery.seller@orderflow>');
    expect(mail.text).to.include('Hello Pottery Co');
    expect(mail.text).to.include('2 × Stoneware mug (mug): €25.00');
    expect(mail.text).to.include('1 × Stoneware mug (bowl): €8.99');
    expect(mail.text).to.include('Subtotal: €33.99');
    expect(mail.text).not.to.include('scarf');
  });
});
