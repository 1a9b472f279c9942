import { createFirestore, createPubSub, loadConfig } from '@orderflow/platform';
import { topology } from '@orderflow/topology';
import { fail, parseCli } from '../cli/args.js';
import { localConfig } from '../local/config.js';
import { runQuery } from '../shared/analytics-query.js';
import { DeadLetters } from '../shared/dead-letters.js';
import { measureDlqList } from './dead-letters.js';
import { localClient, type LocalClient } from './local-client.js';
import { summary } from './stats.js';

/**
 * Figures of the running local system (`npm start` first):
 *   flow     end-to-end time from POST /orders to all three subscribers done
 *   failure  order latency with the seller endpoint up and down, time to the dead-letter topic,
 *            time from replay to done
 *   analytics  time from POST /orders answered to the order's row queryable in `orders`
 *   dlq-list   `dlq list --json` over that many dead letters of a failing seller, then their replay
 */
const usage =
  'usage: npm run -s measure -- flow [--orders 20] | failure [--orders 50] [--probes 3] | analytics [--orders 20] | dlq-list [--dead-letters 200]';
const { positionals, values } = parseCli(
  {
    allowPositionals: true,
    options: {
      orders: { type: 'string' },
      probes: { type: 'string' },
      'dead-letters': { type: 'string' },
    },
  },
  usage,
);
const config = loadConfig(localConfig);
const client = await localClient(config);
const isDone = (r: { state: string }) => r.state === 'done';

async function sequentialOrders(client: LocalClient, count: number) {
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
  // One failing delivery at a time, each with a seller of its own, as in an incident.
  const pubsub = createPubSub(config);
  const firestore = createFirestore(config);
  const deadLetters = new DeadLetters(pubsub, firestore);
  const toDeadLetter: number[] = [];
  const replayToDone: number[] = [];
  for (let probe = 0; probe < Number(values.probes ?? 3); probe++) {
    const failing = await localClient(config);
    await failing.sellerEndpoint({ status: 500 });
    const { orderId } = await failing.order();
    const settled = (r: { state: string }) => r.state !== 'pending' && r.state !== 'retrying';
    toDeadLetter.push((await failing.until(orderId, settled, 300_000)).elapsedMs);
    await failing.sellerEndpoint({ status: 200 });
    // The order says dead-lettered only once the dead letter is recorded: replay at once.
    const replayStarted = Date.now();
    await deadLetters.replay('seller', (l) => l.orderId === orderId);
    await failing.until(orderId, isDone);
    const seller = (await failing.read(orderId)).fulfilment.seller;
    replayToDone.push(Date.parse(seller?.updatedAt ?? '') - replayStarted);
  }
  const attempts = topology.delivery.local.maxDeliveryAttempts;
  console.log(
    `order placed → seller dead-lettered   ${summary(toDeadLetter)} (${attempts} attempts)`,
  );
  console.log(`dlq replay → seller done              ${summary(replayToDone)}`);
  await Promise.all([pubsub.close(), firestore.terminate()]);
  // Last: with many deliveries failing at once the emulator's redeliveries stall (see docs/operators.md).
  const count = Number(values.orders ?? 50);
  const up = await sequentialOrders(client, count);
  await client.sellerEndpoint({ status: 500 });
  const down = await sequentialOrders(client, count);
  await client.sellerEndpoint({ status: 200 });
  console.log(`order latency, seller endpoint up     ${summary(up.map((o) => o.latencyMs))}`);
  console.log(`order latency, seller endpoint down   ${summary(down.map((o) => o.latencyMs))}`);
} else if (positionals[0] === 'analytics') {
  const analytics = { kind: 'local', url: `http://127.0.0.1:${config.ANALYTICS_PORT}` } as const;
  const queryable: number[] = [];
  for (let i = 0; i < Number(values.orders ?? 20); i++) {
    const { orderId } = await client.order();
    const answered = Date.now();
    const sql = `SELECT order_id FROM orders WHERE order_id = '${orderId}'`;
    // Polled as an analyst would, by querying, every 20 ms.
    while ((await runQuery(analytics, sql)).length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    queryable.push(Date.now() - answered);
  }
  console.log(`POST /orders answered → row in orders   ${summary(queryable)}`);
} else if (positionals[0] === 'dlq-list') {
  await measureDlqList(config, client, Number(values['dead-letters'] ?? 200));
} else {
  fail(usage, 2);
}
