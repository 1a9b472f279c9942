import { createFirestore, createPubSub, loadConfig } from '@orderflow/platform';
import { FirestoreDeliveryLedger } from '@orderflow/subscriber';
import { findSubscription, topology } from '@orderflow/topology';
import { fail, parseCli } from '../cli/args.js';
import { localConfig } from '../local/config.js';
import { DeadLetters } from '../shared/dead-letters.js';
import { localClient } from './local-client.js';
import { summary } from './stats.js';

/**
 * Figures of the running local system (`npm start` first):
 *   flow     end-to-end time from POST /orders to all three subscribers done
 *   failure  order latency with the seller endpoint up and down, time to the dead-letter topic,
 *            time from replay to done
 */
const usage = 'usage: npm run -s measure -- flow [--orders 20] | failure [--orders 50]';
const { positionals, values } = parseCli(
  { allowPositionals: true, options: { orders: { type: 'string' } } },
  usage,
);
const config = loadConfig(localConfig);
const client = await localClient(config);
const isDone = (r: { state: string }) => r.state === 'done';

async function sequentialOrders(count: number) {
  const placed = [];
  for (let i = 0; i < count; i++) placed.push(await client.order());
  return placed;
}

if (positionals[0] === 'flow') {
  const count = Number(values.orders ?? 20);
  const completions: number[] = [];
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const { orderId, latencyMs } = await client.order();
    latencies.push(latencyMs);
    completions.push((await client.until(orderId, isDone)).elapsedMs);
  }
  console.log(`POST /orders latency             ${summary(latencies)}`);
  console.log(`POST /orders → all three done    ${summary(completions)}`);
} else if (positionals[0] === 'failure') {
  const count = Number(values.orders ?? 50);
  const up = await sequentialOrders(count);
  await client.sellerEndpoint({ status: 500 });
  const down = await sequentialOrders(count);
  console.log(`order latency, seller endpoint up     ${summary(up.map((o) => o.latencyMs))}`);
  console.log(`order latency, seller endpoint down   ${summary(down.map((o) => o.latencyMs))}`);

  const settled = (r: { state: string }) => r.state !== 'pending' && r.state !== 'retrying';
  const toDeadLetter: number[] = [];
  for (const { orderId } of down)
    toDeadLetter.push((await client.until(orderId, settled, 300_000)).elapsedMs);
  const attempts = topology.delivery.local.maxDeliveryAttempts;
  console.log(
    `order placed → seller dead-lettered   ${summary(toDeadLetter)} (${attempts} attempts)`,
  );

  await client.sellerEndpoint({ status: 200 });
  const plan = findSubscription(topology, 'seller');
  if (!plan) throw new Error('the topology has no seller subscriber');
  const pubsub = createPubSub(config);
  const firestore = createFirestore(config);
  const ledger = new FirestoreDeliveryLedger(firestore);
  const deadLetters = new DeadLetters(pubsub, config.GOOGLE_CLOUD_PROJECT, ledger);
  const orderIds = new Set(down.map((o) => o.orderId));
  // The record says dead-lettered at the last attempt; Pub/Sub forwards the message a moment later.
  const inDeadLetterTopic = async () =>
    (await deadLetters.list(plan)).filter((l) => orderIds.has(l.orderId ?? '')).length;
  while ((await inDeadLetterTopic()) < orderIds.size) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const replayStarted = Date.now();
  const replayed = await deadLetters.replay(plan, (l) => orderIds.has(l.orderId ?? ''), {
    dryRun: false,
  });
  const replayDone: number[] = [];
  for (const { orderId } of down) {
    await client.until(orderId, isDone);
    const order = await client.read(orderId);
    replayDone.push(Date.parse(order.fulfilment.seller?.updatedAt ?? '') - replayStarted);
  }
  console.log(`replayed ${replayed.length}; replay start → seller done   ${summary(replayDone)}`);
  await Promise.all([deadLetters.close(), pubsub.close(), firestore.terminate()]);
} else {
  fail(usage, 2);
}
