import { customerSegmentChangedType, orderPlacedType } from '@orderflow/events';
import type { Mailer } from '@orderflow/platform/mail';
import { createSubscriberApp, route, type SubscriberDeps } from '@orderflow/subscriber';
import { confirmationEmail } from './domain/confirmation.js';
import { vipWelcomeEmail } from './domain/vip-welcome.js';

export interface NotificationDeps extends SubscriberDeps {
  mailer: Mailer;
}

export function createApp(deps: NotificationDeps) {
  return createSubscriberApp(
    {
      '/pubsub/order-placed': route('notification', orderPlacedType, async ({ event, logger }) => {
        const mail = confirmationEmail(event.data, event.id);
        await deps.mailer.send(mail);
        logger.info('order confirmation sent', { to: mail.to });
      }),
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
