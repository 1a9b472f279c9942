import { SpanKind } from '@opentelemetry/api';
import { orderCancelledType, orderPlacedType, placedSequence } from '@orderflow/events';
import { withSpan } from '@orderflow/platform';
import type { Mail, Mailer } from '@orderflow/platform/mail';
import {
  createSubscriberApp,
  inSequence,
  partedRoute,
  partsEndpoint,
  route,
  type PartPolicy,
  type SubscriberDeps,
} from '@orderflow/subscriber';
import type { RequestHandler } from 'express';
import {
  cancellationEmail,
  cancellationNotices,
  cancellationPayload,
} from './domain/cancellation-notice.js';
import { signingVersions } from './domain/secret-rotation.js';
import {
  noticeEmail,
  noticesBySeller,
  webhookId,
  webhookPayload,
  type Seller,
} from './domain/seller-notice.js';
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

/** One message to one seller about one event of an order: by webhook, or by mail without one. */
interface SellerMessage {
  orderId: string;
  sellerId: string;
  /** The order's sequence of the event: the seller's stream never goes back in time. */
  sequence: number;
  eventId: string;
  payload: unknown;
  mail: (seller: Seller) => Mail;
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
        run: (signal: AbortSignal) =>
          tellSeller(
            deps,
            {
              orderId: notice.orderId,
              sellerId: notice.sellerId,
              sequence: placedSequence,
              eventId: event.id,
              payload: webhookPayload(notice),
              mail: (seller) => noticeEmail(seller, notice, event.id),
            },
            signal,
          ),
      })),
    deps.sellerRetries,
  );
  /**
   * A cancellation is one step per seller: a seller told is not told again when the delivery
   * is retried for another; the delivery is retried, dead-lettered and replayed as any other.
   */
  const tellCancelled = route('seller-cancelled', orderCancelledType, async (delivery) => {
    const { event, step, signal } = delivery;
    for (const notice of cancellationNotices(event.data)) {
      await step(`seller:${notice.sellerId}`, () =>
        tellSeller(
          deps,
          {
            orderId: notice.orderId,
            sellerId: notice.sellerId,
            sequence: event.data.sequence,
            eventId: event.id,
            payload: cancellationPayload(notice),
            mail: (seller) => cancellationEmail(seller, notice, event.id),
          },
          signal,
        ),
      );
    }
  });
  return createSubscriberApp(
    { '/pubsub/order-placed': tellSellers, '/pubsub/order-cancelled': tellCancelled },
    deps,
    partsEndpoint({ ...deps, route: tellSellers }),
  );
}

/** Sends the message unless the seller was already told of a newer event of the order. */
async function tellSeller(
  deps: SellerDeps,
  message: SellerMessage,
  signal: AbortSignal,
): Promise<void> {
  const claim = {
    orderId: message.orderId,
    stream: `seller:${message.sellerId}`,
    sequence: message.sequence,
    eventId: message.eventId,
  };
  const sent = await inSequence(
    deps.streams,
    claim,
    { now: deps.clock(), leaseMs: deps.leaseMs },
    () => send(deps, message, signal),
  );
  if (sent === 'stale') {
    deps.logger.info('seller not told: it was told of a newer event of the order', {
      orderId: message.orderId,
      eventId: message.eventId,
      sellerId: message.sellerId,
    });
  }
}

async function send(deps: SellerDeps, message: SellerMessage, signal: AbortSignal) {
  const seller = await deps.sellers.find(message.sellerId);
  if (!seller) throw new Error(`seller ${message.sellerId} is not in the directory`);
  if (!seller.webhookUrl) {
    await deps.mailer.send(message.mail(seller));
    return;
  }
  const url = seller.webhookUrl;
  await withSpan(
    'webhook POST',
    { kind: SpanKind.CLIENT, attributes: { 'orderflow.seller_id': seller.id } },
    () =>
      deps.webhooks.send({
        url,
        id: webhookId(message.eventId, seller.id),
        payload: message.payload,
        sellerId: seller.id,
        secretVersions: signingVersions(seller.signing, deps.clock()),
        signal,
      }),
  );
}
