import type { Mailer } from '@orderflow/platform';
import { createSubscriberApp, type SubscriberDeps } from '@orderflow/subscriber';
import { confirmationEmail } from './domain/confirmation.js';

export interface NotificationDeps extends SubscriberDeps {
  mailer: Mailer;
}

export function createApp(deps: NotificationDeps) {
  return createSubscriberApp(
    'notification',
    {
      '/pubsub/order-placed': async ({ event, logger }) => {
        const mail = confirmationEmail(event.data, event.id);
        await deps.mailer.send(mail);
        logger.info('order confirmation sent', { to: mail.to });
      },
    },
    deps,
  );
}
