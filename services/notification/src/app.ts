import {
  customerSegmentChangedType,
  orderCancelledType,
  orderPartRejectedType,
  orderPartShippedType,
  orderPlacedType,
  placedSequence,
} from '@orderflow/events';
import type { Mail, Mailer } from '@orderflow/platform/mail';
import {
  createSubscriberApp,
  inSequence,
  route,
  type Delivery,
  type SubscriberDeps,
} from '@orderflow/subscriber';
import { confirmationEmail } from './domain/confirmation.js';
import { cancellationEmail, partRejectedEmail, shippedEmail } from './domain/lifecycle-mails.js';
import { vipWelcomeEmail } from './domain/vip-welcome.js';

export interface NotificationDeps extends SubscriberDeps {
  mailer: Mailer;
}

export function createApp(deps: NotificationDeps) {
  /**
   * Sends an order's mail unless a newer event of the order has been mailed about on the same
   * stream: the customer's own (placed, cancelled), or one seller's part (shipped, rejected).
   */
  const mailInSequence = async (
    delivery: Delivery,
    mail: Mail,
    stream: string,
    sequence: number,
    what: string,
  ) => {
    const { event, logger } = delivery;
    const claim = { orderId: event.data.orderId, stream, sequence, eventId: event.id };
    const sent = await inSequence(
      deps.streams,
      claim,
      { now: deps.clock(), leaseMs: deps.leaseMs },
      () => deps.mailer.send(mail),
    );
    if (sent === 'stale') logger.info(`${what} not sent: a newer event of the order was mailed`);
    else logger.info(`${what} sent`, { to: mail.to });
  };
  return createSubscriberApp(
    {
      '/pubsub/order-placed': route('notification', orderPlacedType, (delivery) =>
        mailInSequence(
          delivery,
          confirmationEmail(delivery.event.data, delivery.event.id),
          'customer',
          placedSequence,
          'order confirmation',
        ),
      ),
      '/pubsub/order-cancelled': route('notification-cancelled', orderCancelledType, (delivery) =>
        mailInSequence(
          delivery,
          cancellationEmail(delivery.event.data, delivery.event.id),
          'customer',
          delivery.event.data.sequence,
          'cancellation',
        ),
      ),
      '/pubsub/order-part-shipped': route(
        'notification-part-shipped',
        orderPartShippedType,
        (delivery) =>
          mailInSequence(
            delivery,
            shippedEmail(delivery.event.data, delivery.event.id),
            `customer:${delivery.event.data.sellerId}`,
            delivery.event.data.sequence,
            'shipping notice',
          ),
      ),
      '/pubsub/order-part-rejected': route(
        'notification-part-rejected',
        orderPartRejectedType,
        (delivery) =>
          mailInSequence(
            delivery,
            partRejectedEmail(delivery.event.data, delivery.event.id),
            `customer:${delivery.event.data.sellerId}`,
            delivery.event.data.sequence,
            'rejection notice',
          ),
      ),
      '/pubsub/customer-segment-changed': route(
        'vip-welcome',
        customerSegmentChangedType,
        async ({ event, logger }) => {
          if (event.data.segment !== 'vip') return;
          const mail = vipWelcomeEmail(event.data, event.id);
          await deps.mailer.send(mail);
          logger.info('VIP welcome sent', { to: mail.to, customerId: event.data.customerId });
        },
      ),
    },
    deps,
  );
}
