import { expect } from 'chai';
import request from 'supertest';
import { createConsoleApp } from '@orderflow/tools/console/app';
import type { OrderView } from '@orderflow/tools/console/ports';
import { aDeadLetter, consoleHost, consoleOrigin, fakeConsole } from './fakes.js';

describe('console app', () => {
  it('serves the page, with the demo switches only where there is a webhook stand-in', async () => {
    const local = await request(createConsoleApp(fakeConsole({ demo: true }).deps))
      .get('/')
      .set('host', consoleHost);
    expect(local.status).to.equal(200);
    expect(local.text).to.contain('Demo switches').and.to.contain('Acme (acme)');

    const real = await request(createConsoleApp(fakeConsole().deps))
      .get('/')
      .set('host', consoleHost);
    expect(real.text).to.not.contain('Demo switches');
    expect(real.headers['content-security-policy']).to.contain("script-src 'self'");
  });

  it('refuses a host other than its loopback address', async () => {
    const response = await request(createConsoleApp(fakeConsole().deps))
      .get('/')
      .set('host', 'attacker.example:8088');
    expect(response.status).to.equal(421);
  });

  for (const origin of [undefined, 'http://attacker.example']) {
    it(`refuses a replay from ${origin ?? 'no origin'}, and replays nothing`, async () => {
      const { deps, replays } = fakeConsole();
      const call = request(createConsoleApp(deps))
        .post('/dead-letters/replay')
        .set('host', consoleHost)
        .type('form')

        .send({ subscriber: 'seller', key: 'event-1' });
      const response = await (origin ? call.set('origin', origin) : call);
      expect(response.status).to.equal(403);
      expect(replays).to.be.empty;
    });
  }

  const replay = (deps: ReturnType<typeof fakeConsole>['deps'], body: object) =>
    request(createConsoleApp(deps))
      .post('/dead-letters/replay')
      .set('host', consoleHost)
      .set('origin', consoleOrigin)
      .type('form')
      .send(body);

  it('replays one dead letter by its key, or all of a subscriber', async () => {
    const letters = [
      aDeadLetter({ key: 'event-1' }),
      aDeadLetter({ key: 'event-2', eventId: 'event-2' }),
      aDeadLetter({ subscriber: 'notification', key: 'event-3', eventId: 'event-3' }),
    ];
    const { deps, replays } = fakeConsole({ letters });
    const one = await replay(deps, { subscriber: 'seller', key: 'event-2' });
    expect(one.status).to.equal(200);
    expect(one.text).to.contain('Replayed 1 dead letter to seller.');
    const all = await replay(deps, { subscriber: 'seller' });
    expect(all.text).to.contain('Replayed 2 dead letters to seller.');
    expect(replays).to.deep.equal([
      { subscriber: 'seller', keys: ['event-2'] },
      { subscriber: 'seller', keys: ['event-1', 'event-2'] },
    ]);
  });

  it('says why a dead letter was not replayed', async () => {
    const { deps } = fakeConsole();
    deps.deadLetters.replay = () =>
      Promise.resolve([{ letter: aDeadLetter(), outcome: 'busy' as const }]);
    const response = await replay(deps, { subscriber: 'seller', key: 'event-1' });
    expect(response.text).to.contain(
      'Replayed 0 dead letters to seller. Not replayed: event-1: an attempt is running',
    );
  });

  for (const body of [{}, { subscriber: 'nobody', key: 'e' }, { subscriber: 'seller', key: '' }]) {
    it(`refuses to replay ${JSON.stringify(body)}, and replays nothing`, async () => {
      const { deps, replays } = fakeConsole();
      const response = await replay(deps, body);
      expect(response.status).to.equal(400);
      expect(response.text).to.contain('Nothing replayed');
      expect(replays).to.be.empty;
    });
  }

  it('sets the webhook stand-in, and refuses an unknown mode', async () => {
    const { deps, switches } = fakeConsole({ demo: true });
    const put = (body: object) =>
      request(createConsoleApp(deps))
        .put('/demo/behaviour')
        .set('host', consoleHost)
        .set('origin', consoleOrigin)
        .type('form')
        .send(body);
    expect((await put({ sellerId: 'acme', mode: 'explode' })).status).to.equal(400);
    expect(switches).to.be.empty;
    const response = await put({ sellerId: 'acme', mode: 'fail' });
    expect(response.text).to.contain('now fails acme');
    expect(switches).to.deep.equal([{ sellerId: 'acme', behaviour: { status: 500, delayMs: 0 } }]);
  });

  it('has no demo switches against a real project', async () => {
    const { deps } = fakeConsole();
    const response = await request(createConsoleApp(deps))
      .put('/demo/behaviour')
      .set('host', consoleHost)
      .set('origin', consoleOrigin)
      .type('form')
      .send({ sellerId: 'acme', mode: 'fail' });
    expect(response.status).to.equal(404);
  });

  it('serves an order’s page with its trace from the local span store, or where to find it', async () => {
    const local = await request(createConsoleApp(fakeConsole({ traces: true }).deps))
      .get('/orders/order-1')
      .set('host', consoleHost);
    expect(local.text).to.contain('id="order-trace"');
    const real = await request(createConsoleApp(fakeConsole().deps))
      .get('/orders/order-1')
      .set('host', consoleHost);
    expect(real.text).to.not.contain('id="order-trace"');
    expect(real.text).to.contain('Cloud Trace').and.to.contain('orderflow.order_id');
  });

  it('gives an order as raw JSON, and 404 for an unknown one', async () => {
    const app = createConsoleApp(fakeConsole().deps);
    const found = await request(app).get('/api/orders/order-1').set('host', consoleHost);
    const view = found.body as OrderView;
    expect(view.fulfilment.seller).to.include({ state: 'retrying', attempts: 3 });
    expect(view.order).to.include({ id: 'order-1', currency: 'EUR' });
    const missing = await request(app).get('/api/orders/nope').set('host', consoleHost);
    expect(missing.status).to.equal(404);
  });

  it('refuses a search with a "/" in it', async () => {
    const response = await request(createConsoleApp(fakeConsole().deps))
      .get('/live/orders?q=a/b')
      .set('host', consoleHost);
    expect(response.status).to.equal(400);
  });
});
