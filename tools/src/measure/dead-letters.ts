import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Firestore } from '@google-cloud/firestore';
import { createFirestore, createPubSub } from '@orderflow/platform';
import type { LocalConfig } from '../local/config.js';
import { repoRoot } from '../local/system.js';
import { DeadLetters, wentBack, type DeadLetter } from '../shared/dead-letters.js';
import type { LocalClient } from './local-client.js';
import { summary } from './stats.js';

const run = promisify(execFile);
/**
 * Orders placed each second. The order API lets a customer place 20 in a fixed 2 s window, which
 * need not start with a second of ours: three batches may fall into one.
 */
const placing = 6;
const listRuns = 5;

/**
 * `measure -- dlq-list`: `count` orders for a seller whose endpoint fails, so that the seller
 * service dead-letters each of them as it would in an incident; then `npm run -s dlq -- list
 * --json` timed as an operator runs it (a new process each time), checked to list all of them,
 * and the query alone in process. Afterwards the seller is mended and they are replayed.
 */
export async function measureDlqList(
  config: LocalConfig,
  client: LocalClient,
  count: number,
): Promise<void> {
  const firestore = createFirestore(config);
  const pubsub = createPubSub(config);
  const deadLetters = new DeadLetters(pubsub, firestore);
  try {
    await client.sellerEndpoint({ status: 500 });
    const placedAt = Date.now();
    const orderIds = await placeOrders(client, count);
    const ours = (letters: readonly DeadLetter[]) =>
      letters.filter((l) => l.subscriber === 'seller' && orderIds.has(l.orderId ?? ''));
    await until(async () => ours(await deadLetters.list('seller')).length === count, 300_000);
    console.log(
      `${count} orders placed and their seller dead-lettered in ${((Date.now() - placedAt) / 1000).toFixed(1)} s`,
    );

    const cli: number[] = [];
    for (let i = 0; i < listRuns; i++) {
      const started = performance.now();
      const { stdout } = await run('npm', ['run', '-s', 'dlq', '--', 'list', '--json'], {
        cwd: repoRoot,
        env: cliEnv(config),
        maxBuffer: 64 * 1024 * 1024,
      });
      cli.push(performance.now() - started);
      const listed = ours(JSON.parse(stdout) as DeadLetter[]).length;
      if (listed !== count) throw new Error(`dlq list showed ${listed} of the ${count}`);
    }
    const query: number[] = [];
    for (let i = 0; i < listRuns; i++) {
      const started = performance.now();
      await deadLetters.list();
      query.push(performance.now() - started);
    }
    const total = (await deadLetters.list()).length;
    console.log(
      `dead letters listed                    ${total}, all ${count} of this run among them`,
    );
    console.log(`npm run -s dlq -- list --json          ${summary(cli)} (a new process each)`);
    console.log(`its Firestore query alone, in process  ${summary(query)}`);

    await client.sellerEndpoint({ status: 200 });
    const replayStarted = performance.now();
    const replayed = (
      await deadLetters.replay('seller', (l) => orderIds.has(l.orderId ?? ''))
    ).filter(wentBack).length;
    const replayMs = performance.now() - replayStarted;
    await until(() => allSellersDone(firestore, [...orderIds]), 300_000);
    console.log(
      `dlq replay of ${replayed}                    ${replayMs.toFixed(0)} ms; every seller told ${((performance.now() - replayStarted) / 1000).toFixed(1)} s after it began`,
    );
  } finally {
    await client.sellerEndpoint({ status: 200 });
    await Promise.all([pubsub.close(), firestore.terminate()]);
  }
}

async function placeOrders(client: LocalClient, count: number): Promise<Set<string>> {
  const ids = new Set<string>();
  while (ids.size < count) {
    const second = new Promise((resolve) => setTimeout(resolve, 1000));
    const batch = Math.min(placing, count - ids.size);
    const placed = await Promise.all(Array.from({ length: batch }, () => client.order()));
    for (const { orderId } of placed) ids.add(orderId);
    await second;
  }
  return ids;
}

/** The environment `dlq` reads to act on the running local system. */
const cliEnv = (config: LocalConfig): NodeJS.ProcessEnv => ({
  ...process.env,
  GOOGLE_CLOUD_PROJECT: config.GOOGLE_CLOUD_PROJECT,
  FIRESTORE_EMULATOR_HOST: config.FIRESTORE_EMULATOR_HOST,
  PUBSUB_EMULATOR_HOST: config.PUBSUB_EMULATOR_HOST,
  METADATA_SERVER_DETECTION: 'none',
});

async function allSellersDone(firestore: Firestore, orderIds: string[]): Promise<boolean> {
  const refs = orderIds.map((id) => firestore.doc(`orders/${id}/fulfilment/seller`));
  const docs = await firestore.getAll(...refs);
  return docs.every((d) => d.get('state') === 'done');
}

async function until(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`not so after ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
