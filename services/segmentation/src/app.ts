import { orderPlacedType } from '@orderflow/events';
import {
  publishCommitted,
  relayEndpoint,
  type PublishDeps,
  type RelayEndpointDeps,
} from '@orderflow/outbox';
import { traceparentOf, withSpan } from '@orderflow/platform';
import { createSubscriberApp, route, type SubscriberDeps } from '@orderflow/subscriber';
import type { SegmentStore } from './ports.js';

export interface SegmentationDeps extends SubscriberDeps, RelayEndpointDeps, PublishDeps {
  segments: SegmentStore;
}

export function createApp(deps: SegmentationDeps) {
  const countOrder = route('segmentation', orderPlacedType, async ({ event, logger }) => {
    const order = event.data;
    // The change's event carries this delivery's trace context: its consumers join the order's trace.
    const outcome = await withSpan('segment write', {}, () =>
      deps.segments.count(
        {
          orderId: order.orderId,
          customerId: order.customer.id,
          email: order.customer.email,
          totalCents: order.totalCents,
          currency: order.currency,
          placedAt: order.placedAt,
        },
        deps.clock(),
        traceparentOf(),
      ),
    );
    if (outcome.status === 'already-counted') {
      logger.info('order already counted', { customerId: order.customer.id });
      return;
    }
    const { changed } = outcome;
    logger.info('segment updated', {
      customerId: order.customer.id,
      segment: changed?.data.segment,
    });
    if (changed) await publishCommitted(deps, changed, logger.child({ changeEventId: changed.id }));
  });
  return createSubscriberApp({ '/pubsub/order-placed': countOrder }, deps, relayEndpoint(deps));
}
