import { defaultRelaySettings } from '@orderflow/outbox';
import { InMemoryMailer } from '@orderflow/platform/mail';
import { createApp as createNotificationApp } from '@orderflow/notification/app';
import { InMemorySegmentStore } from '@orderflow/segmentation/adapters/in-memory-segment-store';
import { createApp as createSegmentationApp } from '@orderflow/segmentation/app';
import { createApp as createSellerApp } from '@orderflow/seller/app';
import type { Seller } from '@orderflow/seller/domain/seller-notice';
import { InMemoryDeliveryLedger, type SubscriberDeps } from '@orderflow/subscriber';
import { ManualClock } from './clock.js';
import { RecordingPublisher } from './publisher.js';
import { InMemorySellerDirectory, RecordingWebhookSender } from './seller.js';
import { subscriberDeps } from './subscriber.js';

/** Each subscriber service's app over in-memory doubles, the doubles in reach. */
export function aNotificationService(deps: Partial<SubscriberDeps> = {}) {
  const ledger = new InMemoryDeliveryLedger();
  const mailer = new InMemoryMailer();
  const app = createNotificationApp({ ...subscriberDeps({ ledger, ...deps }), mailer });
  return { app, ledger, mailer };
}

export function aSellerService(
  sellers: readonly Seller[] = [],
  deps: Partial<SubscriberDeps> = {},
) {
  const ledger = new InMemoryDeliveryLedger();
  const mailer = new InMemoryMailer();
  const directory = new InMemorySellerDirectory(sellers);
  const webhooks = new RecordingWebhookSender();
  const app = createSellerApp({
    ...subscriberDeps({ ledger, ...deps }),
    sellers: directory,
    webhooks,
    mailer,
    sellerRetries: { maxAttempts: 3, minBackoffMs: 1_000, maxBackoffMs: 4_000 },
  });
  return { app, ledger, mailer, directory, webhooks };
}

export function aSegmentationService(
  deps: Partial<SubscriberDeps> = {},
  publisher = new RecordingPublisher(),
) {
  const ledger = new InMemoryDeliveryLedger();
  const segments = new InMemorySegmentStore();
  const clock = new ManualClock();
  const app = createSegmentationApp({
    ...subscriberDeps({ ledger, clock: clock.now, ...deps }),
    segments,
    outbox: segments,
    publisher,
    relay: defaultRelaySettings,
  });
  return { app, ledger, segments, publisher, clock };
}
