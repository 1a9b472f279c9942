import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { topology } from '@orderflow/topology';
import { orderTrace, readSpans, waterfallRows } from '@orderflow/tools/shared/traces';
import { localSystem, testStateDir } from './fixture.js';
import { placeOrder } from './support/api.js';
import { eventually } from './support/eventually.js';
import { aPageForEachTest } from './support/browser.js';
import { aCatalog, aCustomer, firestore } from './support/clients.js';
import { anOrderPlacedEvent } from '../support/events.js';
import { eventOf, webhookAttempts, webhooksOf } from './support/observe.js';

const { maxDeliveryAttempts } = topology.delivery.local;
/** The subscribers of `order.placed`: those the order's picture shows. */
const subscribers = topology.subscribers
  .filter((s) => s.topic === topology.topics[0]!.name)
  .map((s) => s.name);

/** Screenshots of each run, for the README's pictures. */
const screenshot = (page: Page, name: string) =>
  page.screenshot({ path: join(testStateDir, `console-${name}.png`), fullPage: true });

describe('the operator console, in Chromium', function () {
  let page: Page;
  let loads: number;

  aPageForEachTest((opened) => {
    page = opened;
    loads = 0;
    page.on('load', () => loads++);
  });

  /** Opens the console and waits until the live orders have arrived once. */
  async function openConsole(path = '/') {
    await page.goto(`${localSystem().urls.console}${path}`);
    await page.locator('#orders').getByText('Connecting…').waitFor({ state: 'detached' });
  }

  const orderCard = (orderId: string) => page.getByRole('article', { name: `order ${orderId}` });
  const node = (orderId: string, subscriber: string, state: string) =>
    orderCard(orderId).getByRole('listitem', { name: `${subscriber}: ${state}` });

  async function anOrder(token: string, productId: string) {
    const placed = await placeOrder(token, [{ productId, quantity: 1 }]);
    expect(placed.status).to.equal(201);
    return placed.body.id as string;
  }

  it('shows a new order without a reload, and its subscribers reaching done', async () => {
    const catalog = await aCatalog({ products: [{}] });
    const customer = await aCustomer();
    await openConsole();

    const orderId = await anOrder(customer.token, catalog.products[0]!.id);

    for (const subscriber of subscribers) await node(orderId, subscriber, 'done').waitFor();
    expect(loads).to.equal(1);
    await screenshot(page, 'orders');
  });

  it('shows an order’s trace as a waterfall on its page, the rows of npm run trace', async () => {
    const catalog = await aCatalog({ products: [{}] });
    const customer = await aCustomer();
    const orderId = await anOrder(customer.token, catalog.products[0]!.id);
    await openConsole();
    await orderCard(orderId).getByRole('link', { name: orderId }).click();

    const waterfall = page.getByRole('table', { name: 'trace waterfall' });
    const span = (name: string) => waterfall.getByRole('row', { name: `span ${name}` });
    // Each delivery span ends after its effect: once all three are shown, the trace is whole.
    for (const subscriber of subscribers) {
      await span(`process order-placed.v1.${subscriber}`).waitFor({ timeout: 30_000 });
    }
    // The page reads the span store every few seconds: it catches up with the last spans.
    const shown = await eventually(
      async () => {
        const trace = orderTrace(await readSpans(localSystem().traceFile), orderId);
        const rows = await waterfall.locator('tbody tr').evaluateAll((trs) =>
          trs.map((tr) =>
            Array.from(tr.querySelectorAll('td'))
              .slice(0, 2)
              .map((td) => td.textContent),
          ),
        );
        expect(rows).to.deep.equal(waterfallRows(trace!).map((r) => [r.span.service, r.span.name]));
        return rows;
      },
      { timeoutMs: 15_000, intervalMs: 500 },
    );
    expect(new Set(shown.map(([service]) => service))).to.have.keys(
      'order',
      'notification',
      'seller',
      'segmentation',
    );
    await screenshot(page, 'trace');
  });

  it('finds a customer’s orders by customer id, and an order by its id', async () => {
    const catalog = await aCatalog({ products: [{}] });
    const [customer, other] = await Promise.all([aCustomer(), aCustomer()]);
    const mine = await anOrder(customer.token, catalog.products[0]!.id);
    const theirs = await anOrder(other.token, catalog.products[0]!.id);
    await openConsole();
    const search = page.getByRole('searchbox', { name: 'search orders' });

    await search.fill(customer.id);
    await page.getByRole('heading', { name: `Orders matching ${customer.id}` }).waitFor();
    await orderCard(mine).waitFor();
    expect(await orderCard(theirs).count()).to.equal(0);

    await search.fill(theirs);
    await page.getByRole('heading', { name: `Orders matching ${theirs}` }).waitFor();
    await orderCard(theirs).waitFor();
    expect(await orderCard(mine).count()).to.equal(0);
    expect(loads).to.equal(1);
  });

  it('shows a failing seller’s delivery dead-lettered, and Replay, once confirmed, completes it with one more webhook', async function () {
    this.timeout(400_000);
    const catalog = await aCatalog({ products: [{}] });
    const sellerId = catalog.sellers[0]!.id;
    const customer = await aCustomer();
    await openConsole();
    const stand_in = page.getByRole('list', { name: 'webhook stand-in' });

    await page.getByRole('combobox', { name: 'seller' }).selectOption(sellerId);
    await page.getByRole('button', { name: 'Fail' }).click();
    await stand_in.getByText(`${sellerId}: fails with 500`).waitFor();
    const orderId = await anOrder(customer.token, catalog.products[0]!.id);
    const eventId = (await eventOf(orderId)).event.id;

    await node(orderId, 'seller', 'dead-lettered').waitFor({ timeout: 300_000 });
    const letter = page
      .getByRole('region', { name: 'dead letters of seller' })
      .getByRole('row')
      .filter({ has: page.getByRole('link', { name: orderId.slice(0, 8) }) });
    await letter.waitFor();
    expect(await letter.getByRole('link').getAttribute('title')).to.equal(orderId);
    expect(await letter.textContent()).to.contain('500');
    await screenshot(page, 'dead-letter');

    await page.getByRole('button', { name: 'Mend' }).click();
    await stand_in.getByText(`${sellerId}: healthy`).waitFor();

    // Cancelled, the replay does not happen.
    const dialog = page.getByRole('dialog');
    await letter.getByRole('button', { name: 'Replay' }).click();
    await dialog.getByText(`(order ${orderId}) to seller?`, { exact: false }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    expect(await letter.count()).to.equal(1);

    await letter.getByRole('button', { name: 'Replay' }).click();
    await screenshot(page, 'replay-confirmation');
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('status').getByText('Replayed 1 dead letter to seller.').waitFor();
    await node(orderId, 'seller', 'done').waitFor();
    await letter.waitFor({ state: 'detached' });

    expect(await webhooksOf(orderId)).to.have.length(1);
    const attempts = await webhookAttempts(`msg_${eventId}_${sellerId}`);
    expect(attempts.map((a) => a.status)).to.deep.equal([
      ...Array<number>(maxDeliveryAttempts).fill(500),
      200,
    ]);
    expect(loads).to.equal(1);
  });

  it('shows an outbox entry the relay set aside, with its reason', async () => {
    const event = anOrderPlacedEvent({ data: { lines: [] } });
    const entry = firestore().collection('outbox').doc(event.id);
    const setAside = firestore().collection('outboxSetAside').doc(event.id);
    await openConsole();
    await entry.set({ event, createdAt: new Date(Date.now() - 60_000), publishedAt: null });
    try {
      const row = page
        .getByRole('table', { name: 'outbox entries set aside' })
        .getByRole('row')
        .filter({ hasText: event.data.orderId });
      await row.waitFor({ timeout: 30_000 });
      expect(await row.textContent()).to.contain('not a valid order.placed.v1');
      expect(loads).to.equal(1);
    } finally {
      await Promise.all([entry.delete(), setAside.delete()]);
    }
  });
});
