import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { LookupFunction } from 'node:net';
import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import { SignedWebhookSender } from '@orderflow/seller/adapters/signed-webhook-sender';
import { sellerSecret } from '@orderflow/seller/webhook-secrets';
import { publicOnlyLookup, type Resolver } from '@orderflow/seller/webhook-targets';
import { listen, readBody, type RunningServer } from '@orderflow/tools/local/http';

const masterKey = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;

/** Resolves every name to the loopback address, as a rebinding DNS answer would. */
const toLoopback: Resolver = (_hostname, _options, callback) => {
  callback(null, [{ address: '127.0.0.1', family: 4 }]);
};

type Answer = (res: import('node:http').ServerResponse) => void;

describe('signed webhook sender', () => {
  let endpoint: RunningServer;
  let answer: Answer;
  const received: { url: string; headers: IncomingHttpHeaders; body: string }[] = [];

  before(async () => {
    endpoint = await listen(
      createServer((req, res) => {
        void readBody(req).then((body) => {
          received.push({ url: req.url ?? '', headers: req.headers, body });
          answer(res);
        });
      }),
      0,
    );
  });
  after(() => endpoint.close());
  beforeEach(() => {
    received.length = 0;
    answer = (res) => res.writeHead(200).end();
  });

  const sender = (options: { lookup?: LookupFunction } = {}) =>
    new SignedWebhookSender({
      masterKey,
      timeoutMs: 5_000,
      clock: () => new Date(),
      targets: 'any',
      ...options,
    });
  const message = (secretVersions: number[], url = `${endpoint.url}/hooks`) => ({
    url,
    id: 'msg_evt-1_acme',
    payload: { type: 'order.placed', data: { orderId: 'order-1' } },
    sellerId: 'acme',
    secretVersions,
  });
  const failureOf = (sent: Promise<void>) =>
    sent.then(
      () => 'sent',
      (e: unknown) => (e instanceof Error ? `${e.message} ${String(e.cause)}` : String(e)),
    );

  it('posts the payload with one signature per secret version, each verifying with its secret', async () => {
    await sender().send(message([2, 1]));

    const [call] = received;
    expect(call?.headers['content-type']).to.equal('application/json');
    expect(call?.headers['webhook-id']).to.equal('msg_evt-1_acme');
    expect(call?.headers['webhook-signature']?.toString().split(' ')).to.have.length(2);
    const headers = call!.headers as Record<string, string>;
    for (const version of [1, 2]) {
      const verified = new Webhook(sellerSecret(masterKey, 'acme', version)).verify(
        call!.body,
        headers,
      );
      expect(verified).to.deep.equal(message([]).payload);
    }
    for (const [seller, version] of [
      ['acme', 3],
      ['bolt', 1],
    ] as const) {
      expect(() =>
        new Webhook(sellerSecret(masterKey, seller, version)).verify(call!.body, headers),
      ).to.throw('No matching signature found');
    }
  });

  it('fails on an answer that is not 2xx', async () => {
    answer = (res) => res.writeHead(500).end();
    expect(await failureOf(sender().send(message([1])))).to.contain('answered 500');
  });

  it('follows no redirect: a 3xx is a failed delivery', async () => {
    answer = (res) => res.writeHead(302, { location: `${endpoint.url}/elsewhere` }).end();
    expect(await failureOf(sender().send(message([1])))).to.contain('answered 302');
    expect(received.map((r) => r.url)).to.deep.equal(['/hooks']);
  });

  it('reads a bounded part of the answer: an endless body does not hold the delivery', async () => {
    answer = (res) => {
      res.writeHead(200);
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const pour = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pour);
      };
      pour();
    };
    expect(await failureOf(sender().send(message([1])))).to.equal('sent');
  });

  it('refuses to connect when the name resolves to a private address, checked at connect time', async () => {
    const url = `http://hooks.shop.example:${new URL(endpoint.url).port}/hooks`;
    // The same name reaches the endpoint through a lookup that does not check…
    const unchecked: LookupFunction = (_h, _o, cb) => {
      cb(null, [{ address: '127.0.0.1', family: 4 }]);
    };
    expect(await failureOf(sender({ lookup: unchecked }).send(message([1], url)))).to.equal('sent');
    expect(received).to.have.length(1);
    // …and is refused through the checking one.
    const checked = publicOnlyLookup(toLoopback);
    const refused = await failureOf(sender({ lookup: checked }).send(message([1], url)));
    expect(refused).to.contain(
      'webhook host hooks.shop.example resolves to 127.0.0.1, a loopback address',
    );
    expect(received).to.have.length(1);
  });

  it('refuses a URL that is not https to a public host, before any call', async () => {
    const strict = new SignedWebhookSender({
      masterKey,
      timeoutMs: 5_000,
      clock: () => new Date(),
      targets: 'public',
    });
    expect(await failureOf(strict.send(message([1])))).to.contain('refused: https only');
    expect(await failureOf(strict.send(message([1], 'https://169.254.169.254/')))).to.contain(
      '169.254.169.254 is a linkLocal address',
    );
    expect(received).to.deep.equal([]);
  });
});
