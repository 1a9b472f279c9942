import { expect } from 'chai';
import { confirmationEmail } from '@orderflow/notification/domain/confirmation';
import { anOrderLine, anOrderPlaced } from '../../../support/events.js';

describe('confirmationEmail', () => {
  const order = anOrderPlaced({
    orderId: 'order-7',
    customer: { id: 'customer-ada', email: 'ada@example.com' },
    lines: [
      anOrderLine({ name: 'Mug', quantity: 2, unitPriceCents: 1250 }),
      anOrderLine({ productId: 'scarf', sellerId: 'wool', name: 'Scarf', unitPriceCents: 4500 }),
    ],
  });

  it('is addressed to the customer, about their order', () => {
    const mail = confirmationEmail(order, 'evt-1');
    expect(mail.to).to.equal('ada@example.com');
    expect(mail.subject).to.equal('Your order order-7 is confirmed');
  });

  it('lists every line with unit and line totals, and the order total', () => {
    const { text } = confirmationEmail(order, 'evt-1');
    expect(text.split('\n')).to.include.members([
      '  2 × Mug at €12.50: €25.00',
      '  1 × Scarf at €45.00: €45.00',
      'Total: €70.00',
      'Order: order-7',
    ]);
  });

  it('formats amounts in the order currency', () => {
    const yen = anOrderPlaced({
      currency: 'JPY',
      lines: [anOrderLine({ name: 'Teapot', quantity: 3, unitPriceCents: 1500 })],
    });
    expect(confirmationEmail(yen, 'evt-1').text).to.include('3 × Teapot at ¥1,500: ¥4,500');
  });

  it('has a message id that is the same for the same event and differs for another', () => {
    expect(confirmationEmail(order, 'evt-1').messageId).to.equal('<evt-1.notification@orderflow>');
    expect(confirmationEmail(order, 'evt-2').messageId).not.to.equal(
      confirmationEmail(order, 'evt-1').messageId,
    );
  });
});
