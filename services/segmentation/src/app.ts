import { withSpan } from '@orderflow/platform';
import { createSubscriberApp, type SubscriberDeps } from '@orderflow/subscriber';
import type { SegmentStore } from './ports.js';

export interface SegmentationDeps extends SubscriberDeps {
  segments: SegmentStore;
}

export function createApp(deps: SegmentationDeps) {
  return createSubscriberApp(
    'segmentation',
    {
      '/pubsub/order-placed': async ({ event, logger }) => {
        const order = event.data;
        const outcome = await withSpan('segment write', {}, () =>
          deps.segments.count({
            orderId: order.orderId,
            customerId: order.customer.id,
            totalCents: order.totalCents,
            currency: order.currency,
            placedAt: order.placedAt,
          }),
        );
        logger.info(outcome === 'counted' ? 'segment updated' : 'order already counted', {
          customerId: order.customer.id,
        });
      },
    },
    deps,
  );
}
