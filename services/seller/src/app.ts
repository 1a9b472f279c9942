import { SpanKind } from '@opentelemetry/api';
import { orderPlacedType } from '@orderflow/events';
import { withSpan } from '@orderflow/platform';
import type { Mailer } from '@orderflow/platform/mail';
import {
  createSubscriberApp,
  partedRoute,
  partsEndpoint,
  type PartPolicy,
  type SubscriberDeps,
} from '@orderflow/subscriber';
import type { RequestHandler } from 'express';
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
  /** How often, and how far apart, one seller of one order is tried before its dead letter. */
  sellerRetries: PartPolicy;
  /** Admits only the scheduler to the sweep; absent when the configuration turns it off. */
  sweepAuth?: RequestHandler | undefined;
}

export function createApp(deps: SellerDeps) {
  /**
   * Each seller is one part: tried once by the push, which is then acknowledged, and retried by
   * the sweep on its own, so a seller whose endpoint is down costs no other seller, nor the
   * subscription, anything.
   */
  const tellSellers = partedRoute(
    'seller',
    orderPlacedType,
    (event) =>
      noticesBySeller(event.data).map((notice) => ({
        name: `seller:${notice.sellerId}`,
        run: (signal: AbortSignal) => tellSeller(deps, notice, event.id, signal),
      })),
    deps.sellerRetries,
  );
  return createSubscriberApp(
    { '/pubsub/order-placed': tellSellers },
    deps,
    partsEndpoint({ ...deps, route: tellSellers }),
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
