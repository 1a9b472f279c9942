import type {
  OrderCancelledV1,
  OrderLine,
  OrderPartRejectedV1,
  OrderPartShippedV1,
} from '@orderflow/events';
import type { Mail } from '@orderflow/platform/mail';
import { formatMoney } from '@orderflow/platform/money';

const lineText = (money: (cents: number) => string) => (line: OrderLine) =>
  `  ${line.quantity} × ${line.name}: ${money(line.lineTotalCents)}`;

export function cancellationEmail(event: OrderCancelledV1, eventId: string): Mail {
  const money = (cents: number) => formatMoney(cents, event.currency);
  return {
    to: event.customer.email,
    subject: `Your order ${event.orderId} is cancelled`,
    text: [
      'Your order is cancelled, as you asked.',
      '',
      ...event.lines.map(lineText(money)),
      '',
      `Refund: ${money(event.refundCents)}`,
      `Order: ${event.orderId}`,
    ].join('\n'),
    messageId: `<${eventId}.notification@orderflow>`,
  };
}

export function partRejectedEmail(event: OrderPartRejectedV1, eventId: string): Mail {
  const money = (cents: number) => formatMoney(cents, event.currency);
  const whole = event.orderStatus === 'cancelled';
  return {
    to: event.customer.email,
    subject: whole
      ? `Your order ${event.orderId} is cancelled by the seller`
      : `Part of your order ${event.orderId} is cancelled by the seller`,
    text: [
      'The seller cannot deliver these items, and they are cancelled:',
      '',
      ...event.lines.map(lineText(money)),
      '',
      `Reason: ${event.reason}`,
      `Refund: ${money(event.refundCents)}`,
      `Order: ${event.orderId}`,
    ].join('\n'),
    messageId: `<${eventId}.notification@orderflow>`,
  };
}

export function shippedEmail(event: OrderPartShippedV1, eventId: string): Mail {
  return {
    to: event.customer.email,
    subject: `Your order ${event.orderId} has shipped`,
    text: [
      'These items are on their way:',
      '',
      ...event.lines.map((line) => `  ${line.quantity} × ${line.name}`),
      '',
      `Tracking number: ${event.trackingNumber}`,
      `Order: ${event.orderId}`,
    ].join('\n'),
    messageId: `<${eventId}.notification@orderflow>`,
  };
}
