import type { CustomerSegmentChangedV1 } from '@orderflow/events';
import type { Mail } from '@orderflow/platform/mail';

/** The mail a customer gets on becoming a VIP; its id makes a resent one a duplicate. */
export function vipWelcomeEmail(change: CustomerSegmentChangedV1, eventId: string): Mail {
  return {
    to: change.email,
    subject: 'Welcome to our VIP customers',
    text: [
      `Thank you: with ${change.orderCount} orders you are now one of our VIP customers.`,
      '',
      'From now on your orders are first in line at our sellers.',
    ].join('\n'),
    messageId: `<${eventId}.vip-welcome@orderflow>`,
  };
}
