import { mailConfig } from '@orderflow/platform';
import { subscriberConfig } from '@orderflow/subscriber';

export const notificationConfig = subscriberConfig(mailConfig);
