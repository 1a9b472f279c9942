import type { OrderPlacedV1 } from '@orderflow/events';
import type { Mail } from '@orderflow/platform/mail';
import { formatMoney } from '@orderflow/platform/money';

export function confirmationEmail(order: OrderPlacedV1, eventId: string): Mail {
  const money = (cents: number) => formatMoney(cents, order.currency);
  const lines = order.lines.map(
    (line) =>
      `  ${line.quantity} × ${line.name} at ${money(line.unitPriceCents)}: ${money(line.lineTotalCents)}`,
  );
  return {
    to: order.customer.email,
    subject: `Your order ${order.orderId} is confirmed`,
    text: [
      'Thank you for your order.',
      '',
      ...lines,
      '',
      `Total: ${money(order.totalCents)}`,
      `Order: ${order.orderId}`,
    ].join('\n'),
    messageId: `<${eventId}.notification@orderflow>`,
  };
}
