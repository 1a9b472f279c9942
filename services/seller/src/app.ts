import { SpanKind } from '@opentelemetry/api';
import { orderPlacedType } from '@orderflow/events';
import { withSpan, type Mailer } from '@orderflow/platform';
import {
  createSubscriberApp,
  route,
  type Delivery,
  type SubscriberDeps,
} from '@orderflow/subscriber';
import {
  noticeEmail,
  noticesBySeller,
  webhookId,
  webhookPayload,
  type SellerNotice,
} from './domain/seller-notice.js';
import { signingVersions } from './domain/secret-rotation.js';
import type { SellerDirectory, WebhookSender } from './ports.js';

export interface SellerDeps extends SubscriberDeps {
  sellers: SellerDirectory;
  webhooks: WebhookSender;
  mailer: Mailer;
}

export function createApp(deps: SellerDeps) {
  /** Each seller is one step: a retry skips the sellers already told. */
  const tellSellers = async ({ event, logger, step, signal }: Delivery<typeof orderPlacedType>) => {
    for (const notice of noticesBySeller(event.data)) {
      await step(`seller:${notice.sellerId}`, () => tellSeller(deps, notice, event.id, signal));
      logger.info('seller told', { sellerId: notice.sellerId });
    }
  };
  return createSubscriberApp(
    { '/pubsub/order-placed': route('seller', orderPlacedType, tellSellers) },
    deps,
  );
}

async function tellSeller(
  deps: SellerDeps,
  notice: SellerNotice,
  eventId: string,
  signal: AbortSignal,
): Promise<void> {
  const seller = await deps.sellers.find(notice.sellerId);
  if (!seller) throw new Error(`seller ${notice.sellerId} is not in the directory`);
  if (!seller.webhookUrl) {
    await deps.mailer.send(noticeEmail(seller, notice, eventId));
    return;
  }
  const url = seller.webhookUrl;
  await withSpan(
    'webhook POST',
    { kind: SpanKind.CLIENT, attributes: { 'orderflow.seller_id': seller.id } },
    () =>
      deps.webhooks.send({
        url,
        id: webhookId(eventId, seller.id),
        payload: webhookPayload(notice),
        sellerId: seller.id,
        secretVersions: signingVersions(seller.signing, deps.clock()),
        signal,
      }),
  );
}
