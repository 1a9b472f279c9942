import type { OrderLine, OrderPlacedV1 } from '@orderflow/events';
import type { Mail } from '@orderflow/platform/mail';
import { formatMoney } from '@orderflow/platform/money';
import type { SecretRotation } from './secret-rotation.js';

export interface Seller {
  id: string;
  name: string;
  email: string;
  webhookUrl?: string | undefined;
  /** The versions of its webhook secret in use. */
  signing: SecretRotation;
}

/** What one seller is told about an order: its own lines only. */
export interface SellerNotice {
  orderId: string;
  sellerId: string;
  lines: OrderLine[];
  subtotalCents: number;
  currency: string;
  placedAt: string;
}

export function noticesBySeller(order: OrderPlacedV1): SellerNotice[] {
  const lines = Map.groupBy(order.lines, (line) => line.sellerId);
  return [...lines].map(([sellerId, own]) => ({
    orderId: order.orderId,
    sellerId,
    lines: own,
    subtotalCents: own.reduce((sum, line) => sum + line.lineTotalCents, 0),
    currency: order.currency,
    placedAt: order.placedAt,
  }));
}

/** The webhook message id: the same on every retry, so the seller can drop duplicates. */
export const webhookId = (eventId: string, sellerId: string) => `msg_${eventId}_${sellerId}`;

/** The webhook body, in the Standard Webhooks payload shape. */
export function webhookPayload(notice: SellerNotice) {
  return { type: 'order.placed', timestamp: notice.placedAt, data: notice };
}

export function noticeEmail(seller: Seller, notice: SellerNotice, eventId: string): Mail {
  const money = (cents: number) => formatMoney(cents, notice.currency);
  return {
    to: seller.email,
    subject: `New order ${notice.orderId}`,
    text: [
      `Hello ${seller.name}, you have a new order to ship.`,
      '',
      ...notice.lines.map(
        (l) => `  ${l.quantity} × ${l.name} (${l.productId}): ${money(l.lineTotalCents)}`,
      ),
      '',
      `Subtotal: ${money(notice.subtotalCents)}`,
    ].join('\n'),
    messageId: `<${eventId}.${notice.sellerId}.seller@orderflow>`,
  };
}
