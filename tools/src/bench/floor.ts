import { randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import { FirestoreOrderStore } from '@orderflow/order/adapters/firestore-order-store';
import { FirestoreOutbox } from '@orderflow/outbox';
import { JwksAuthenticator } from '@orderflow/order/adapters/jwks-authenticator';
import { PubSubPublisher } from '@orderflow/outbox';
import { orderPlaced } from '@orderflow/order/domain/events';
import type { IdempotencyKey } from '@orderflow/order/domain/idempotency';
import { placeOrder as decideOrder, type Product } from '@orderflow/order/domain/order';
import { fingerprint } from '@orderflow/order/http/order-request';
import { placeOrder, type PlaceOrderDeps } from '@orderflow/order/place-order';
import { createLogger, type Logger } from '@orderflow/platform';
import { topology } from '@orderflow/topology';
import { devTokenAlgorithm } from '../local/dev-issuer.js';
import type { Catalog } from '../shared/catalog.js';
import { anEmptyOutcome, type LoadOutcome, type PlacedRef } from './load.js';
import type { FloorStep, Load } from './settings.js';
import type { OrderDraft } from './workload.js';

export interface FloorDeps {
  db: Firestore;
  /** A new Pub/Sub client: the floor makes one, and another when `reconnect` is called. */
  pubsub: () => PubSub;
  catalog: Catalog;
  auth: { issuer: string; audience: string; jwksUrl: string };
  /** The order service's own publish bound. */
  publishTimeoutMs: number;
}

/** One operation of a step; resolves with the order when it published one, for its effects. */
type Operation = (draft: OrderDraft) => Promise<PlacedRef | undefined>;

/**
 * The order service's own adapters, driven directly: what an order costs without HTTP,
 * authentication, idempotency and logging, and what each of those costs alone.
 */
export class Floor {
  private readonly store: FirestoreOrderStore;
  private readonly outbox: FirestoreOutbox;
  private pubsub: PubSub;
  private publisher: PubSubPublisher;
  private readonly authenticator: JwksAuthenticator;
  private readonly products: Map<string, Product>;
  private readonly useCaseDeps: PlaceOrderDeps & { logger: Logger };
  /** Events committed by the floor and not yet marked published, which the relay would publish. */
  private readonly unmarked: string[] = [];

  constructor(private readonly deps: FloorDeps) {
    this.store = new FirestoreOrderStore(deps.db);
    this.outbox = new FirestoreOutbox(deps.db);
    this.pubsub = deps.pubsub();
    this.publisher = this.newPublisher();
    this.authenticator = new JwksAuthenticator({
      issuer: deps.auth.issuer,
      audience: deps.auth.audience,
      algorithms: [devTokenAlgorithm],
      keys: new URL(deps.auth.jwksUrl),
    });
    this.products = new Map(deps.catalog.products.map((p) => [p.id, p]));
    this.useCaseDeps = {
      store: this.store,
      outbox: this.outbox,
      publisher: this.publisher,
      clock: () => new Date(),
      newId: randomUUID,
      logger: createLogger({ service: 'bench-floor' }, { level: 'warning' }),
    };
  }

  operation(step: FloorStep): Operation {
    const operations: Record<FloorStep, Operation> = {
      transaction: async (draft) => {
        this.unmarked.push((await this.commit(draft)).event.id);
        return undefined;
      },
      publish: async (draft) => {
        const order = decideOrder({
          ...draft,
          orderId: randomUUID(),
          products: this.products,
          now: new Date(),
        }).order;
        await this.publisher.publish(orderPlaced(order, randomUUID()));
        return { id: order.id, createdAt: order.createdAt };
      },
      'transaction+publish': (draft) => this.commitAndPublish(draft),
      'transaction+publish/hot': (draft) => this.commitAndPublish(draft),
      'transaction+key': async (draft) => {
        this.unmarked.push((await this.commit(draft, idempotencyKey(draft))).event.id);
        return undefined;
      },
      'mark-published': async () => {
        const eventId = this.unmarked.shift() ?? randomUUID();
        await this.outbox.markPublished(eventId, new Date());
        return undefined;
      },
      'jwt-verify': async (draft) => {
        await this.authenticator.authenticate(draft.customer.token);
        return undefined;
      },
      'use-case': async (draft) => {
        const { order } = await placeOrder(this.useCaseDeps, {
          customer: { id: draft.customer.id, email: draft.customer.email },
          items: draft.items,
          idempotency: idempotencyKey(draft),
          logger: this.useCaseDeps.logger,
        });
        return { id: order.id, createdAt: order.createdAt };
      },
    };
    return operations[step];
  }

  /**
   * Publishes through a new Pub/Sub client, with connections of its own; the old one is closed
   * without waiting for what it still has in flight.
   */
  reconnect(): void {
    const old = this.pubsub;
    this.pubsub = this.deps.pubsub();
    this.publisher = this.newPublisher();
    this.useCaseDeps.publisher = this.publisher;
    old.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.pubsub.close();
  }

  /** The order service's publisher, as the floor holds it now (`reconnect` replaces it). */
  eventPublisher(): PubSubPublisher {
    return this.publisher;
  }

  private newPublisher(): PubSubPublisher {
    return new PubSubPublisher(this.pubsub, topology, { timeoutMs: this.deps.publishTimeoutMs });
  }

  /** Marks what the floor committed as published, so the order service's relay leaves it alone. */
  async markAllPublished(concurrency = 16): Promise<void> {
    const worker = async () => {
      for (let id = this.unmarked.pop(); id; id = this.unmarked.pop()) {
        await this.outbox.markPublished(id, new Date());
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  private async commit(draft: OrderDraft, idempotency?: IdempotencyKey) {
    const outcome = await this.store.placeOrder({
      orderId: randomUUID(),
      eventId: randomUUID(),
      customer: { id: draft.customer.id, email: draft.customer.email },
      items: draft.items,
      now: new Date(),
      idempotency,
    });
    if (outcome.kind === 'replayed') throw new Error('a fresh idempotency key was replayed');
    return outcome;
  }

  /** As the order service does: commit, publish, then mark without waiting for the mark. */
  private async commitAndPublish(draft: OrderDraft): Promise<PlacedRef> {
    const { order, event } = await this.commit(draft);
    await this.publisher.publish(event);
    this.outbox.markPublished(event.id, new Date()).catch(() => this.unmarked.push(event.id));
    return { id: order.id, createdAt: order.createdAt };
  }
}

/**
 * Runs `operation` as autocannon sends requests: `load.connections` workers, each starting
 * `load.perConnection` operations one after another at the start of every second.
 */
export async function pacedLoop(
  load: Load,
  nextOrder: () => OrderDraft,
  operation: Operation,
): Promise<LoadOutcome> {
  const outcome = anEmptyOutcome();
  const { startedAt } = outcome;
  const deadline = startedAt + load.seconds * 1000;
  const worker = async () => {
    const window = { second: -1, started: 0 };
    while (Date.now() < deadline) {
      const second = Math.floor((Date.now() - startedAt) / 1000);
      if (second !== window.second) Object.assign(window, { second, started: 0 });
      if (window.started === load.perConnection) {
        await sleep(startedAt + (second + 1) * 1000 - Date.now());
        continue;
      }
      window.started += 1;
      const draft = nextOrder();
      const started = performance.now();
      try {
        const placed = await operation(draft);
        outcome.latenciesMs.push(performance.now() - started);
        outcome.successes += 1;
        if (placed) outcome.placed.push(placed);
      } catch (error) {
        const reason = failureReason(error);
        outcome.failures[reason] = (outcome.failures[reason] ?? 0) + 1;
      }
      outcome.requests += 1;
    }
  };
  await Promise.all(Array.from({ length: load.connections }, worker));
  outcome.endedAt = Date.now();
  return outcome;
}

/** An error's code (an AppError's, or a gRPC status), so that failures group by cause. */
function failureReason(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' || typeof code === 'number' ? String(code) : 'error';
}

/** A key never used before, as a client sends with every new order. */
const idempotencyKey = (draft: OrderDraft): IdempotencyKey => ({
  customerId: draft.customer.id,
  key: randomUUID(),
  requestHash: fingerprint(draft.items),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
