import type { Outbox } from '@orderflow/order/ports';
import type { OutboxDesk, OutboxReport } from '../ports.js';

/** Unpublished for longer than this, an entry is stuck: the default of `npm run outbox -- status`. */
export const stuckAfterMs = 60_000;
const shown = 20;

export class OutboxStatusDesk implements OutboxDesk {
  constructor(private readonly outbox: Outbox) {}

  async status(now: Date): Promise<OutboxReport> {
    const status = await this.outbox.status(shown);
    return {
      pending: status.pending,
      published: status.published,
      oldestPending: status.oldestPending.map((e) => ({
        eventId: e.eventId,
        orderId: e.orderId,
        createdAt: e.createdAt.toISOString(),
        stuck: now.getTime() - e.createdAt.getTime() > stuckAfterMs,
      })),
    };
  }
}
