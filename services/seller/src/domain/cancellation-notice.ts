import type { OrderCancelledV1, OrderLine } from '@orderflow/events';
import type { Mail } from '@orderflow/platform/mail';
import type { Seller } from './seller-notice.js';

/** What one seller is told when the customer cancels: its own lines, which it must not ship. */
export interface CancellationNotice {
  orderId: string;
  sellerId: string;
  lines: OrderLine[];
  reason: string | null;
  cancelledAt: string;
}

export function cancellationNotices(event: OrderCancelledV1): CancellationNotice[] {
  return event.sellerIds.map((sellerId) => ({
    orderId: event.orderId,
    sellerId,
    lines: event.lines.filter((line) => line.sellerId === sellerId),
    reason: event.reason,
    cancelledAt: event.cancelledAt,
  }));
}

/** The webhook body, in the Standard Webhooks payload shape: its own type beside `order.placed`. */
export function cancellationPayload(notice: CancellationNotice) {
  return { type: 'order.cancelled', timestamp: notice.cancelledAt, data: notice };
}

export function cancellationEmail(
  seller: Seller,
  notice: CancellationNotice,
  eventId: string,
): Mail {
  return {
    to: seller.email,
    subject: `Order ${notice.orderId} is cancelled: do not ship it`,
    text: [
      `Hello ${seller.name}, the customer cancelled order ${notice.orderId}. Do not ship:`,
      '',
      ...notice.lines.map((l) => `  ${l.quantity} × ${l.name} (${l.productId})`),
      ...(notice.reason ? ['', `Reason: ${notice.reason}`] : []),
    ].join('\n'),
    messageId: `<${eventId}.${notice.sellerId}.seller@orderflow>`,
  };
}
