import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import { anOrderOfEach } from './support/api.js';
import { npmRun } from './support/cli.js';
import { aCatalog, type TestCatalog } from './support/clients.js';
import { eventually } from './support/eventually.js';
import { eventOf, webhooksOf } from './support/observe.js';

/** What the seller does on receipt, with the official library and the secret it was shown. */
function verifies(secret: string, webhook: { headers: object; body: string }): boolean {
  try {
    new Webhook(secret).verify(webhook.body, webhook.headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

async function secretCommand(...args: string[]): Promise<string> {
  const result = await npmRun('webhook-secret', args);
  expect(result.code, result.stderr).to.equal(0);
  expect(result.stdout).to.match(/^whsec_[A-Za-z0-9+/]{43}=\n$/);
  return result.stdout.trim();
}

/** Places an order of one unit from each seller, and waits for each seller's webhook. */
async function webhooksOfAnOrder(catalog: TestCatalog) {
  const orderId = await anOrderOfEach(catalog);
  const received = await eventually(async () => {
    const webhooks = await webhooksOf(orderId);
    expect(webhooks).to.have.length(catalog.sellers.length);
    return webhooks;
  });
  const eventId = (await eventOf(orderId)).event.id;
  return catalog.sellers.map(({ id }) => {
    const webhook = received.find((w) => w.sellerId === id)!;
    expect(webhook.webhookId).to.equal(`msg_${eventId}_${id}`);
    return webhook;
  });
}

describe('webhook secrets, one per seller', () => {
  it('shows each seller its own secret once, and no seller can verify, so forge, another’s webhooks', async () => {
    const catalog = await aCatalog({ sellers: [{}, {}], products: [{ seller: 0 }, { seller: 1 }] });
    const [a, b] = catalog.sellers.map((s) => s.id) as [string, string];

    const secretA = await secretCommand('show', a);
    const again = await npmRun('webhook-secret', ['show', a]);
    expect(again.code).to.equal(3);
    expect(again.stdout).to.equal('');
    expect(again.stderr).to.contain(`version 1 of ${a}'s secret was shown at`);
    const secretB = await secretCommand('show', b);
    expect(secretA).to.not.equal(secretB);

    const [toA, toB] = await webhooksOfAnOrder(catalog);
    expect(verifies(secretA, toA!)).to.equal(true);
    expect(verifies(secretB, toB!)).to.equal(true);
    expect(verifies(secretB, toA!)).to.equal(false);
    expect(verifies(secretA, toB!)).to.equal(false);
    expect(verifies(secretA, { ...toA!, body: toA!.body.replace('1', '2') })).to.equal(false);
  });

  it('rotates one seller: old and new signatures during the overlap, then the new alone', async () => {
    const catalog = await aCatalog({ sellers: [{}, {}], products: [{ seller: 0 }, { seller: 1 }] });
    const [a] = catalog.sellers.map((s) => s.id) as [string];
    const first = await secretCommand('show', a);

    const second = await secretCommand('rotate', a);
    const [during, other] = await webhooksOfAnOrder(catalog);
    expect(during!.headers['webhook-signature']?.split(' ')).to.have.length(2);
    expect(during!.signedWith).to.have.members([1, 2]);
    expect(verifies(first, during!)).to.equal(true);
    expect(verifies(second, during!)).to.equal(true);
    // The other seller is not rotated.
    expect(other!.signedWith).to.deep.equal([1]);

    const third = await secretCommand('rotate', a, '--overlap-hours', '0');
    const [after] = await webhooksOfAnOrder(catalog);
    expect(after!.headers['webhook-signature']?.split(' ')).to.have.length(1);
    expect(after!.signedWith).to.deep.equal([3]);
    expect(verifies(third, after!)).to.equal(true);
    expect(verifies(second, after!)).to.equal(false);
  });
});
