import { createServer, type IncomingHttpHeaders } from 'node:http';
import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import { SignedWebhookSender } from '@orderflow/seller/adapters/signed-webhook-sender';
import { sellerSecret } from '@orderflow/seller/webhook-secrets';
import { listen, readBody, type RunningServer } from '@orderflow/tools/local/http';

const masterKey = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;

describe('signed webhook sender', () => {
  let endpoint: RunningServer;
  let status = 200;
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];

  before(async () => {
    endpoint = await listen(
      createServer((req, res) => {
        void readBody(req).then((body) => {
          received.push({ headers: req.headers, body });
          res.writeHead(status).end();
        });
      }),
      0,
    );
  });
  after(() => endpoint.close());
  beforeEach(() => {
    received.length = 0;
    status = 200;
  });

  const sender = () =>
    new SignedWebhookSender({ masterKey, timeoutMs: 5_000, clock: () => new Date() });
  const message = (secretVersions: number[]) => ({
    url: `${endpoint.url}/hooks`,
    id: 'msg_evt-1_acme',
    payload: { type: 'order.placed', data: { orderId: 'order-1' } },
    sellerId: 'acme',
    secretVersions,
  });

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
    status = 500;
    const error = await sender()
      .send(message([1]))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).to.be.instanceOf(Error).with.property('message').that.contains('answered 500');
  });
});
