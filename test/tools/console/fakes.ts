import { createLogger } from '@orderflow/platform';
import type {
  ConsoleDeps,
  DeadLetter,
  OrderView,
  SinkBehaviour,
  Watchable,
} from '@orderflow/tools/console/ports';

export const consolePort = 8088;
export const consoleHost = `127.0.0.1:${consolePort}`;
export const consoleOrigin = `http://${consoleHost}`;

const fixed = <T>(value: T): Watchable<T> => ({
  watch: (onValue) => {
    onValue(value);
    return () => undefined;
  },
});

export function anOrderView(overrides: Partial<OrderView['order']> = {}): OrderView {
  return {
    order: {
      id: 'order-1',
      customer: { id: 'customer-1', email: 'ada@example.test' },
      lines: [{ productId: 'tent-2p', sellerId: 'acme', name: 'Tent', quantity: 1 }],
      totalCents: 18900,
      currency: 'EUR',
      createdAt: '2026-12-01T10:00:00.000Z',
      ...overrides,
    },
    fulfilment: {
      notification: { state: 'done', attempts: 1 },
      seller: { state: 'retrying', attempts: 3, lastError: 'webhook answered 500' },
    },
  };
}

export function aDeadLetter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    subscriber: 'seller',
    key: 'event-1',
    eventId: 'event-1',
    orderId: 'order-1',
    type: 'order.placed.v1',
    attempts: 5,
    reason: 'webhook answered 500',
    deadLetteredAt: '2026-12-01T10:00:00.000Z',
    state: 'dead-lettered',
    ...overrides,
  };
}

/** Console dependencies that keep what they were asked to do. */
export function fakeConsole(
  options: { demo?: boolean; orders?: OrderView[]; letters?: DeadLetter[]; traces?: boolean } = {},
) {
  /** The keys of the dead letters each replay picked. */
  const replays: { subscriber: string; keys: string[] }[] = [];
  const switches: { sellerId: string; behaviour: SinkBehaviour }[] = [];
  const orders = options.orders ?? [anOrderView()];
  const letters = options.letters ?? [];
  const deps: ConsoleDeps & { port: number; logger: ReturnType<typeof createLogger> } = {
    port: consolePort,
    logger: createLogger({}, { write: () => undefined }),
    orders: {
      recent: () => fixed(orders),
      one: (id) => fixed(orders.find((o) => o.order.id === id)),
    },
    deadLetters: {
      list: () => Promise.resolve(letters),
      replayOne: async (subscriber, key) =>
        (await deps.deadLetters.replay(subscriber, (l) => l.key === key))[0],
      replay: (subscriber, select) => {
        const chosen = letters.filter((l) => l.subscriber === subscriber && (!select || select(l)));
        replays.push({ subscriber, keys: chosen.map((l) => l.key) });
        return Promise.resolve(chosen.map((letter) => ({ letter, outcome: 'replayed' as const })));
      },
    },
    outbox: {
      status: () =>
        Promise.resolve({ pending: 0, published: 0, stuck: [], setAside: 0, latestSetAside: [] }),
    },
    segments: { distribution: () => Promise.resolve({ new: 1, returning: 0, loyal: 0, vip: 0 }) },
    traces: options.traces ? { ofOrder: () => Promise.resolve(undefined) } : undefined,
    demo: options.demo
      ? {
          sellers: () => Promise.resolve([{ id: 'acme', name: 'Acme' }]),
          behaviours: () => Promise.resolve({}),
          set: (sellerId, behaviour) => {
            switches.push({ sellerId, behaviour });
            return Promise.resolve();
          },
        }
      : undefined,
    subscribers: ['notification', 'seller', 'segmentation'],
    allSubscribers: ['notification', 'seller', 'segmentation', 'vip-welcome'],
    pollMs: 60_000,
  };
  return { deps, replays, switches };
}
