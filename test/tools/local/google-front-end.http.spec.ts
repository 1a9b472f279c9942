import { createServer, type IncomingHttpHeaders } from 'node:http';
import { expect } from 'chai';
import { decodeJwt } from 'jose';
import { removedSignature } from '@orderflow/platform';
import { startGoogleFrontEnd, type GoogleFrontEnd } from '@orderflow/tools/local/google-front-end';
import { listen, readBody, type RunningServer } from '@orderflow/tools/local/http';
import { createLocalGoogle, type LocalGoogle } from '@orderflow/tools/local/local-google';

const pushIdentity = 'orderflow-pubsub-push@demo.iam.gserviceaccount.com';
const audience = 'https://seller.demo.orderflow.internal';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('local Google front end', () => {
  let google: LocalGoogle;
  let upstream: RunningServer;
  let frontEnd: GoogleFrontEnd;
  let received: Received[];
  let upstreamStatus: number;

  before(async () => {
    google = await createLocalGoogle();
    upstream = await listen(
      createServer((req, res) => {
        void readBody(req).then((body) => {
          received.push({ path: req.url ?? '', headers: req.headers, body });
          res.writeHead(upstreamStatus, { 'content-type': 'application/json' }).end('{"ok":1}');
        });
      }),
      0,
    );
    frontEnd = await startGoogleFrontEnd({
      port: 0,
      google,
      pushIdentity,
      services: [{ service: 'seller', target: upstream.url, audience, invokers: [pushIdentity] }],
    });
  });
  after(async () => {
    await Promise.all([frontEnd.close(), upstream.close()]);
  });
  beforeEach(() => {
    received = [];
    upstreamStatus = 204;
  });

  const envelope = (messageId: string, subscription = 'projects/demo/subscriptions/s') => ({
    message: { data: '', attributes: {}, messageId, publishTime: new Date().toISOString() },
    subscription,
  });
  const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const push = (body: unknown) =>
    post(`${frontEnd.pushEndpoint('seller')}/pubsub/order-placed`, body);
  const call = (authorization?: string) =>
    post(
      `${frontEnd.serviceUrl('seller')}/pubsub/order-placed`,
      envelope('m'),
      authorization ? { authorization } : {},
    );

  describe('as Pub/Sub', () => {
    it("pushes with the push identity's token, its signature removed, as Cloud Run forwards it", async () => {
      const response = await push(envelope('m-1'));

      expect(response.status).to.equal(204);
      expect(received.map((r) => r.path)).to.deep.equal(['/pubsub/order-placed']);
      const token = /^Bearer (.+)$/.exec(received[0]?.headers.authorization ?? '')?.[1] ?? '';
      expect(token.split('.')[2]).to.equal(removedSignature);
      expect(decodeJwt(token)).to.include({
        iss: 'https://accounts.google.com',
        aud: audience,
        email: pushIdentity,
        email_verified: true,
      });
    });

    it('adds deliveryAttempt per subscription and message, and forgets a message once acknowledged', async () => {
      upstreamStatus = 503;
      await push(envelope('m-2'));
      await push(envelope('m-2'));
      await push(envelope('m-2', 'projects/demo/subscriptions/replay'));
      upstreamStatus = 204;
      await push(envelope('m-2'));
      await push(envelope('m-2'));

      const attempts = received.map(
        (r) => (JSON.parse(r.body) as { deliveryAttempt: number }).deliveryAttempt,
      );
      expect(attempts).to.deep.equal([1, 2, 1, 3, 1]);
    });

    it("passes the service's answer back, so Pub/Sub retries what failed", async () => {
      upstreamStatus = 503;
      expect((await push(envelope('m-3'))).status).to.equal(503);
    });
  });

  describe('as Cloud Run, for a service that is not public', () => {
    it('forwards a token of an invoker for the service audience, or for its URL', async () => {
      for (const aud of [audience, frontEnd.serviceUrl('seller')]) {
        expect((await call(`Bearer ${await google.mint(pushIdentity, aud)}`)).status).to.equal(204);
      }
      expect(received).to.have.length(2);
    });

    const refused: {
      name: string;
      status: number;
      authorization: () => Promise<string | undefined>;
    }[] = [
      { name: 'no token', status: 403, authorization: () => Promise.resolve(undefined) },
      {
        name: 'a caller without the invoker role',
        status: 403,
        authorization: async () =>
          `Bearer ${await google.mint('intruder@demo.iam.gserviceaccount.com', audience)}`,
      },
      {
        name: 'another audience',
        status: 403,
        authorization: async () =>
          `Bearer ${await google.mint(pushIdentity, 'https://notification.demo.orderflow.internal')}`,
      },
      {
        name: 'a token that does not verify',
        status: 401,
        authorization: async () =>
          `Bearer ${(await google.mint(pushIdentity, audience)).replace(/\.[^.]+$/, '.Zm9yZ2Vk')}`,
      },
      {
        name: 'a token whose signature was already removed',
        status: 401,
        authorization: async () =>
          `Bearer ${(await google.mint(pushIdentity, audience)).replace(/\.[^.]+$/, `.${removedSignature}`)}`,
      },
    ];
    for (const { name, status, authorization } of refused) {
      it(`answers ${status} to ${name}, never reaching the service`, async () => {
        const response = await call(await authorization());

        expect(response.status).to.equal(status);
        expect(response.headers.get('content-type')).to.match(/^text\/html/);
        expect(received).to.deep.equal([]);
      });
    }
  });

  it('serves the JWKS its tokens verify with', async () => {
    const jwks = (await (await fetch(`${frontEnd.url}${google.jwksPath}`)).json()) as {
      keys: { kid: string }[];
    };
    expect(jwks.keys.map((k) => k.kid)).to.deep.equal(google.jwks().keys.map((k) => k.kid));
  });
});
