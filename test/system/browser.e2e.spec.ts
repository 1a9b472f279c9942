import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { localSystem, testShopPorts } from './fixture.js';
import { call, placeOrder } from './support/api.js';
import { aPageForEachTest } from './support/browser.js';
import { aCatalog, aCustomer, type TestCustomer } from './support/clients.js';
import { servePage, type StaticPage } from './support/static-site.js';

const shopPage = fileURLToPath(new URL('./shop/index.html', import.meta.url));

describe('a shop page on another origin, in Chromium', function () {
  let page: Page;
  const sites: StaticPage[] = [];

  aPageForEachTest((opened) => (page = opened));
  afterEach(async () => {
    await Promise.all(sites.splice(0).map((site) => site.close()));
  });

  async function openShop(port: number, customer: TestCustomer, productId: string, key: string) {
    const site = await servePage(shopPage, port);
    sites.push(site);
    const settings = new URLSearchParams({
      api: localSystem().urls.orderApi,
      token: customer.token,
      product: productId,
      key,
    });
    await page.goto(`${site.origin}/#${settings.toString()}`);
    await page.getByRole('button', { name: 'Buy' }).click();
    // The page says how it went, either way: wait for that, then read it.
    const status = page.getByRole('status');
    await status.filter({ hasText: /^(Order placed|Failed)/ }).waitFor();
    return (await status.textContent()) ?? '';
  }

  it('places an order, reads its Location and lists the customer’s orders', async () => {
    const catalog = await aCatalog({ products: [{}] });
    const customer = await aCustomer();
    const key = randomUUID();

    const outcome = await openShop(testShopPorts.allowed, customer, catalog.products[0]!.id, key);

    const placed = /^Order placed: \/orders\/([\w-]+)$/.exec(outcome);
    expect(placed, outcome).to.not.equal(null);
    const orderId = placed![1]!;
    const listed = page.getByRole('list', { name: 'Your orders' }).getByRole('listitem');
    await listed.first().waitFor();
    expect(await listed.allTextContents()).to.deep.equal([`${orderId}: placed`]);

    // The page's Idempotency-Key passed the preflight: the same key from here replays its order.
    const replay = await placeOrder(
      customer.token,
      [{ productId: catalog.products[0]!.id, quantity: 1 }],
      {
        'idempotency-key': key,
      },
    );
    expect(replay.status).to.equal(201);
    expect(replay.headers.get('idempotent-replayed')).to.equal('true');
    expect(replay.body.id).to.equal(orderId);
  });

  it('fails on an origin the API does not allow, and places nothing', async () => {
    const catalog = await aCatalog({ products: [{}] });
    const customer = await aCustomer();

    const outcome = await openShop(
      testShopPorts.refused,
      customer,
      catalog.products[0]!.id,
      randomUUID(),
    );

    // Chromium's words for a response that CORS withholds from the page.
    expect(outcome).to.equal('Failed: Failed to fetch');
    const orders = await call('GET', '/orders', { token: customer.token });
    expect(orders.status).to.equal(200);
    expect(orders.body.orders).to.deep.equal([]);
  });
});
