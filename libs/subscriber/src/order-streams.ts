/**
 * Events of one order arrive in any order: Pub/Sub keeps none between messages, and an
 * `order.placed` being retried can come after its `order.cancelled`. Every order event carries
 * the order's sequence (placed 1, each transition one more), and a subscriber acts on an event
 * only through a claim on the order's stream for one recipient (the customer's mailbox, one
 * seller's endpoint):
 *
 * - an event older than one already claimed on the stream is stale: it is acknowledged, and
 *   nothing is done (a confirmation after the cancellation, a new-order webhook after the
 *   cancellation's);
 * - while another event of the stream is being acted on (its claim's lease runs), the newer one
 *   is refused and retried later, so it never overtakes the older one's effect in flight.
 *
 * Ordering keys were the other way: they order delivery but hold every later message of the key
 * behind one that keeps failing (a seller's endpoint down would hold the customer's mails), a
 * dead-lettered message breaks the order anyway, and push subscriptions deliver them one at a time.
 */
export interface StreamClaim {
  orderId: string;
  /** The recipient whose effects must not go back in time: `customer`, `seller:<id>`. */
  stream: string;
  sequence: number;
  eventId: string;
}

export type StreamClaimOutcome = 'acquired' | 'stale' | 'busy';

export interface OrderStreams {
  /** Claims the stream for the event, under a lease of `leaseMs`. */
  claim(claim: StreamClaim, now: Date, leaseMs: number): Promise<StreamClaimOutcome>;
  /** Ends the event's lease; the stream stays claimed up to its sequence. */
  release(claim: StreamClaim): Promise<void>;
}

export class StreamBusyError extends Error {
  override readonly name = 'StreamBusyError';
}

/**
 * Runs `work` under the event's claim, or skips it when the event is stale (`stale`); throws
 * (the delivery is retried) while an earlier event of the stream is being acted on.
 */
export async function inSequence(
  streams: OrderStreams,
  claim: StreamClaim,
  options: { now: Date; leaseMs: number },
  work: () => Promise<void>,
): Promise<'done' | 'stale'> {
  const outcome = await streams.claim(claim, options.now, options.leaseMs);
  if (outcome === 'stale') return 'stale';
  if (outcome === 'busy') {
    throw new StreamBusyError(
      `another event of order ${claim.orderId} for ${claim.stream} is being acted on`,
    );
  }
  try {
    await work();
  } finally {
    await streams.release(claim);
  }
  return 'done';
}

interface StreamState {
  claimed: number;
  holder?: string | undefined;
  leaseUntil?: number | undefined;
}

/** The decision on a claim, for every store. */
export function decideClaim(
  state: StreamState | undefined,
  claim: StreamClaim,
  now: Date,
  leaseMs: number,
): { outcome: StreamClaimOutcome; next?: StreamState } {
  const claimed = state?.claimed ?? 0;
  if (claimed > claim.sequence) return { outcome: 'stale' };
  const held = state?.holder !== undefined && state.holder !== claim.eventId;
  if (held && (state.leaseUntil ?? 0) > now.getTime()) return { outcome: 'busy' };
  return {
    outcome: 'acquired',
    next: { claimed: claim.sequence, holder: claim.eventId, leaseUntil: now.getTime() + leaseMs },
  };
}

export class InMemoryOrderStreams implements OrderStreams {
  readonly states = new Map<string, StreamState>();

  claim(claim: StreamClaim, now: Date, leaseMs: number): Promise<StreamClaimOutcome> {
    const key = `${claim.orderId}/${claim.stream}`;
    const { outcome, next } = decideClaim(this.states.get(key), claim, now, leaseMs);
    if (next) this.states.set(key, next);
    return Promise.resolve(outcome);
  }

  release(claim: StreamClaim): Promise<void> {
    const state = this.states.get(`${claim.orderId}/${claim.stream}`);
    if (state?.holder === claim.eventId) {
      state.holder = undefined;
      state.leaseUntil = undefined;
    }
    return Promise.resolve();
  }
}
