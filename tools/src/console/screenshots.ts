import { join } from 'node:path';
import { loadConfig } from '@orderflow/platform';
import { localConfig } from '../local/config.js';
import { repoRoot } from '../local/system.js';
import { localClient, type LocalClient } from '../measure/local-client.js';
import { openChromium } from '../shared/chromium.js';

/**
 * `npm run -s console:screenshots` (with `npm start` running): the README's pictures of the
 * console, taken in headless Chromium after a small scene is played on the local system:
 * customers with one, two and three orders (the segment chart), a seller whose endpoint fails
 * (a dead letter), its Replay confirmation, and an order's page with its trace.
 */
const config = loadConfig(localConfig);
const consoleUrl = `http://127.0.0.1:${config.CONSOLE_PORT}`;
const docs = join(repoRoot, 'docs');
const isDone = (r: { state: string }) => r.state === 'done';

/** Places `count` orders one after another, each followed to done; gives the last one's id. */
async function orders(client: LocalClient, count: number): Promise<string> {
  let orderId = '';
  for (let i = 0; i < count; i++) {
    orderId = (await client.order()).orderId;
    await client.until(orderId, isDone);
  }
  return orderId;
}

const [one, two, three, failing] = await Promise.all([
  localClient(config),
  localClient(config),
  localClient(config),
  localClient(config),
]);
await orders(one, 1);
await orders(two, 2);
const traced = await orders(three, 3);
await failing.sellerEndpoint({ status: 500 });
const { orderId: deadLettered } = await failing.order();
await failing.until(deadLettered, (r) => r.state !== 'pending' && r.state !== 'retrying', 300_000);
await failing.sellerEndpoint({ status: 200 });

const browser = await openChromium();
try {
  const page = await browser.context.newPage();
  await page.goto(consoleUrl);
  const letter = page
    .getByRole('region', { name: 'dead letters of seller' })
    .getByRole('row')
    .filter({ has: page.getByRole('link', { name: deadLettered.slice(0, 8) }) });
  await letter.waitFor();
  await page.getByRole('article', { name: `order ${deadLettered}` }).waitFor();
  await page.locator('#segments [data-segment]').first().waitFor();
  await page.screenshot({ path: join(docs, 'console.png'), fullPage: true });

  await letter.getByRole('button', { name: 'Replay' }).click();
  await page.getByRole('dialog').waitFor();
  await page.screenshot({ path: join(docs, 'console-replay.png') });
  await page.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
  await failing.until(deadLettered, isDone);

  await page.goto(`${consoleUrl}/orders/${traced}`);
  await page
    .getByRole('table', { name: 'trace waterfall' })
    .getByRole('row', { name: 'span process order-placed.v1.segmentation' })
    .waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(docs, 'console-order.png'), fullPage: true });
  process.stdout.write(
    `screenshots in ${docs}: console.png, console-replay.png, console-order.png\n`,
  );
} finally {
  await browser.close();
}
