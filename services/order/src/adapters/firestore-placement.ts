import { randomInt } from 'node:crypto';
import type {
  DocumentReference,
  DocumentSnapshot,
  Firestore,
  WriteBatch,
} from '@google-cloud/firestore';
import { FirestoreOutbox } from '@orderflow/outbox';
import { AppError } from '@orderflow/platform';
import { decideMember, newBatch, type Batch, type MemberDecision } from '../domain/batch.js';
import { orderPlaced } from '../domain/events.js';
import { earlierOrder, idempotencyRecord } from '../domain/idempotency.js';
import { orderDocument } from '../domain/lifecycle.js';
import type { Order } from '../domain/order.js';
import type { PlaceOrderCommand, PlaceOrderOutcome } from '../ports.js';
import { fitsOneCommit, type CommittedOrder } from './commit-budget.js';
import { backoffMs, pause, within } from './deadline.js';
import { toProduct, toRecord } from './firestore-documents.js';
import { levelOf, readShards, shardCountOf, stockOf, unchangedSince } from './firestore-stock.js';
import { GroupCommit, tryAgain, type CommitResult } from './group-commit.js';

export interface PlacementLimits {
  /** How many times an order is tried when other orders changed its stock meanwhile. */
  maxAttempts: number;
  /**
   * `shared`: the orders an instance holds at once for the same products share one commit.
   * `per-order`: each order commits alone (the benchmark's baseline).
   */
  commits: 'shared' | 'per-order';
}

/**
 * gRPC codes of a commit that lost a race and wrote nothing: a document it read changed
 * (FAILED_PRECONDITION), a shard was removed by a re-shard (NOT_FOUND), the same Idempotency-Key
 * was just used (ALREADY_EXISTS), or Firestore aborted it (ABORTED).
 */
const lostRace = new Set([5, 6, 9, 10]);
/** The least time a member must have left to join a commit: one cut off may still be applied. */
const commitReserveMs = 500;

const busy = () =>
  new AppError('busy', 'too many concurrent orders for these products, retry shortly');

/** One order waiting for a batch, or in one. */
interface Member {
  command: PlaceOrderCommand;
  key: DocumentReference | undefined;
  /** Epoch ms: its caller is answered `busy` then. */
  deadline: number;
  attempts: number;
  /** Its caller has its answer (a failure): no commit started later includes it. */
  settled: boolean;
}

type Answers = Map<Member, CommitResult<PlaceOrderOutcome>>;

/** What one batch read: per member its key and (after a lost race) its order; the stock. */
interface BatchRead {
  keys: Map<Member, DocumentSnapshot>;
  own: Map<Member, DocumentSnapshot>;
  products: Map<string, DocumentSnapshot>;
  shards: Map<string, DocumentSnapshot[]>;
}

/**
 * Places orders by group commit (`GroupCommit`). With shared commits an instance has one batch
 * at a time, whatever the products: the orders that arrive while a commit is in flight are
 * decided together with one read of every stock document they list and committed at once. Keyed
 * by product set instead, a flash sale's hot stock document had a committer for every set it
 * appears in (alone, with a quiet product, with another one…), and those committers lost races to
 * each other until their deadlines; one batch per instance leaves one committer per instance on
 * every document, and the races only between instances, each retried as a batch. A batch may be
 * larger than a commit holds: the members past the limit wait for the next one.
 */
/** The one batch key of shared commits. */
const sharedBatch = 'shared';

export class FirestorePlacement {
  private readonly outbox: FirestoreOutbox;
  private readonly group = new GroupCommit<Member, PlaceOrderOutcome>((members) =>
    this.commitBatch(members),
  );

  constructor(
    private readonly db: Firestore,
    private readonly limits: PlacementLimits,
  ) {
    this.outbox = new FirestoreOutbox(db);
  }

  async place(
    command: PlaceOrderCommand,
    key: DocumentReference | undefined,
    deadline: number,
  ): Promise<PlaceOrderOutcome> {
    const member: Member = { command, key, deadline, attempts: 0, settled: false };
    const batchKey = this.limits.commits === 'shared' ? sharedBatch : command.orderId;
    try {
      return await within(deadline, this.group.submit(batchKey, member), 'placing the order');
    } catch (error) {
      member.settled = true;
      throw error;
    }
  }

  /** Every member's answer, or `tryAgain` for those left to the next batch. */
  private async commitBatch(
    members: readonly Member[],
  ): Promise<CommitResult<PlaceOrderOutcome>[]> {
    const answers: Answers = new Map();
    let live = joining(members, answers, 0);
    try {
      const read = live.length
        ? await within(latest(live), this.read(live), 'reading stock')
        : undefined;
      if (read) live = await this.known(live, read, answers);
      // A listed shard that is gone was removed by a re-shard since the product was read.
      const stale = read && [...read.shards.values()].flat().some((shard) => !shard.exists);
      if (read && stale) await this.retry(live, answers);
      else if (read) await this.decideAndCommit(joining(live, answers, 0), read, answers);
    } catch (error) {
      for (const member of live) if (!answers.has(member)) answers.set(member, asError(error));
    }
    return members.map((member) => answers.get(member) ?? busy());
  }

  /** One read of the members' keys, their own orders after a lost race, and the stock. */
  private async read(members: readonly Member[]): Promise<BatchRead> {
    const keyed = members.filter((m) => m.key);
    const retried = members.filter((m) => m.attempts > 0);
    const productIds = [
      ...new Set(members.flatMap((m) => m.command.items.map((i) => i.productId))),
    ];
    const snapshots = await this.db.getAll(
      ...keyed.map((m) => m.key as DocumentReference),
      ...retried.map((m) => this.orderRef(m.command.orderId)),
      ...productIds.map((id) => this.db.collection('products').doc(id)),
    );
    const keys = new Map(keyed.map((m, i) => [m, snapshots[i] as DocumentSnapshot]));
    const own = new Map(
      retried.map((m, i) => [m, snapshots[keyed.length + i] as DocumentSnapshot]),
    );
    const products = snapshots.slice(keyed.length + retried.length);
    return {
      keys,
      own,
      products: new Map(products.map((p) => [p.id, p])),
      shards: await readShards(this.db, products),
    };
  }

  /**
   * Answers the members whose outcome is known: committed by an earlier attempt (the client
   * library may have retried a commit that had in fact been applied), or placed before with the
   * same Idempotency-Key. Gives the others.
   */
  private async known(live: readonly Member[], read: BatchRead, answers: Answers) {
    const earlier = new Map<Member, string>();
    for (const member of live) {
      const { command } = member;
      const own = read.own.get(member);
      if (own?.exists) {
        answers.set(member, {
          kind: 'placed',
          order: own.data() as Order,
          event: orderPlaced(own.data() as Order, command.eventId),
        });
        continue;
      }
      try {
        const key = command.idempotency;
        const orderId = key && earlierOrder(toRecord(read.keys.get(member)), key, command.now);
        if (orderId) earlier.set(member, orderId);
      } catch (error) {
        answers.set(member, asError(error));
      }
    }
    if (earlier.size) {
      const orders = await this.db.getAll(...[...earlier.values()].map((id) => this.orderRef(id)));
      [...earlier.keys()].forEach((member, i) => {
        const order = orders[i];
        if (!order?.exists) throw new Error(`idempotency key points to missing order ${order?.id}`);
        answers.set(member, { kind: 'replayed', order: order.data() as Order });
      });
    }
    return live.filter((member) => !answers.has(member));
  }

  /**
   * Decides the members in arrival order and commits those that fit in one commit with the
   * stock they leave. A batch that places nothing is answered from its read; one that does
   * commits only members with time left for a commit, decided again without the others.
   * Nothing between the decision and the commit's start waits, so no member is answered
   * meanwhile.
   */
  private async decideAndCommit(members: readonly Member[], read: BatchRead, answers: Answers) {
    if (!members.length) return;
    const start = newBatch(catalogOf(read), levelsOf(read), randomInt(1_000_000));
    const { batch, decided } = decideForCommit(start, members, answers);
    const placed = decided.filter(([, d]) => d.kind === 'placed').map(([m]) => m);
    if (!placed.length) {
      answerDecisions(decided, answers);
      return;
    }
    const write = this.db.batch();
    this.writeStock(write, read, start, batch);
    for (const [member, decision] of decided) {
      if (decision.kind === 'placed') this.writeOrder(write, member, decision, read);
    }
    try {
      await within(latest(placed), write.commit(), 'committing the orders');
    } catch (error) {
      if (!lostRace.has((error as { code?: unknown }).code as number)) throw error;
      return this.retry(
        decided.map(([m]) => m),
        answers,
      );
    }
    answerDecisions(decided, answers);
  }

  private writeStock(write: WriteBatch, read: BatchRead, start: Batch, end: Batch) {
    for (const [productId, { levels }] of end.stock) {
      const before = start.stock.get(productId)?.levels ?? [];
      const product = read.products.get(productId);
      const shards = read.shards.get(productId);
      levels.forEach((level, i) => {
        if (level === before[i] || !product) return;
        const doc = shards ? shards[i] : product;
        if (doc) write.update(doc.ref, { stock: level }, unchangedSince(doc));
      });
    }
  }

  private writeOrder(
    write: WriteBatch,
    member: Member,
    { order, event }: Extract<MemberDecision, { kind: 'placed' }>,
    read: BatchRead,
  ) {
    const { command, key } = member;
    write.create(this.orderRef(order.id), orderDocument(order));
    this.outbox.add(write, { event, traceparent: command.traceparent, createdAt: command.now });
    if (!key || !command.idempotency) return;
    const record = idempotencyRecord(command.idempotency, order.id, command.now);
    const existing = read.keys.get(member);
    // An expired key is replaced, on the condition that no one else replaced it first.
    if (existing?.exists) write.update(key, record, unchangedSince(existing));
    else write.create(key, record);
  }

  /** After a lost race: the members go again, after a backoff, while attempts are left. */
  private async retry(members: readonly Member[], answers: Answers) {
    for (const member of members) member.attempts += 1;
    const attempt = Math.max(0, ...members.map((m) => m.attempts));
    await pause(backoffMs(attempt));
    for (const member of members) {
      answers.set(member, member.attempts >= this.limits.maxAttempts ? busy() : tryAgain);
    }
  }

  private orderRef(orderId: string) {
    return this.db.collection('orders').doc(orderId);
  }
}

/** The members with `reserveMs` left whose callers wait; the others are answered `busy`. */
function joining(members: readonly Member[], answers: Answers, reserveMs: number): Member[] {
  const now = Date.now();
  return members.filter((member) => {
    const joins = !member.settled && member.deadline - now > reserveMs;
    if (!joins) answers.set(member, busy());
    return joins;
  });
}

/**
 * The members' decisions; when some place an order, only those with time left for a commit,
 * decided again without the others (whose callers are told `busy` first).
 */
function decideForCommit(start: Batch, members: readonly Member[], answers: Answers) {
  const all = decideWithinLimits(start, members, answers);
  if (!all.decided.some(([, d]) => d.kind === 'placed')) return all;
  const committing = joining(members, answers, commitReserveMs);
  return committing.length < members.length ? decideWithinLimits(start, committing, answers) : all;
}

/**
 * Decides members in order while their orders fit in one commit; those after the first that
 * does not are answered `tryAgain` and lead the next batch. The first one always goes.
 */
function decideWithinLimits(start: Batch, members: readonly Member[], answers: Answers) {
  let batch = start;
  const decided: [Member, MemberDecision][] = [];
  const orders: CommittedOrder[] = [];
  for (const [index, member] of members.entries()) {
    const next = decideMember(batch, member.command);
    if (next.decision.kind === 'placed') {
      const order = { ...next.decision, keyed: member.key !== undefined };
      if (decided.length && !fitsOneCommit(start, next.batch, [...orders, order])) {
        for (const later of members.slice(index)) answers.set(later, tryAgain);
        break;
      }
      orders.push(order);
    }
    batch = next.batch;
    decided.push([member, next.decision]);
  }
  return { batch, decided };
}

function answerDecisions(decided: readonly [Member, MemberDecision][], answers: Answers) {
  const orders = new Map<string, Order>();
  for (const [member, decision] of decided) {
    if (decision.kind === 'placed') orders.set(decision.order.id, decision.order);
    if (decision.kind === 'refused') answers.set(member, asError(decision.error));
    else if (decision.kind === 'placed') answers.set(member, decision);
    else {
      const order = orders.get(decision.orderId);
      answers.set(member, order ? { kind: 'replayed', order } : busy());
    }
  }
}

function catalogOf(read: BatchRead) {
  return new Map(
    [...read.products.values()]
      .filter((p) => p.exists)
      .map((p) => [p.id, toProduct(p, read.shards.get(p.id))]),
  );
}

function levelsOf(read: BatchRead) {
  return new Map(
    [...read.products.values()]
      .filter((p) => p.exists)
      .map((p) => {
        const shards = read.shards.get(p.id);
        const levels = shards ? shards.map(levelOf) : [stockOf(p)];
        return [p.id, { levels, sharded: shardCountOf(p) > 1 }];
      }),
  );
}

const latest = (members: readonly Member[]) => Math.max(...members.map((m) => m.deadline));

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));
