import { expect } from 'chai';
import { removedSignature } from '@orderflow/platform';
import { serviceAudience, type ServiceName } from '@orderflow/topology';
import { productionAuth, localSystem, testConfig } from './fixture.js';
import { call, placeOrder } from './support/api.js';
import { aCatalog, aCustomer } from './support/clients.js';
import { eventually } from './support/eventually.js';

const subscribers: ServiceName[] = ['notification', 'seller', 'segmentation'];
const audienceOf = (service: ServiceName) =>
  serviceAudience(testConfig.GOOGLE_CLOUD_PROJECT, service);
const strip = (token: string) => token.replace(/\.[^.]+$/, `.${removedSignature}`);

async function post(
  url: string,
  authorization?: string,
): Promise<{ status: number; type: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    // Not a push envelope: a request that gets past authentication is refused by the handler.
    body: '{}',
  });
  await response.body?.cancel();
  return { status: response.status, type: response.headers.get('content-type') ?? '' };
}

describe('push authentication as in production, behind the Google front-end stand-in', () => {
  it("reaches every subscriber through the front end, with the push identity's token", async () => {
    const { frontEnd } = productionAuth();
    const before = subscribers.map((s) => frontEnd.forwarded(s));
    const catalog = await aCatalog({ products: [{ stock: 1 }] });
    const customer = await aCustomer();
    const placed = await placeOrder(customer.token, [
      { productId: catalog.products[0]!.id, quantity: 1 },
    ]);

    await eventually(async () => {
      const { body } = await call('GET', `/orders/${placed.body.id as string}`, {
        token: customer.token,
      });
      const states = Object.values(body.fulfilment as Record<string, { state: string }>);
      expect(states.map((s) => s.state)).to.deep.equal(['done', 'done', 'done']);
    });
    const after = subscribers.map((s) => frontEnd.forwarded(s));
    after.forEach((count, i) => expect(count, subscribers[i]).to.be.above(before[i]!));
  });

  for (const service of subscribers) {
    describe(`Cloud Run's check in front of ${service}`, () => {
      const url = () => `${productionAuth().frontEnd.serviceUrl(service)}/pubsub/order-placed`;
      const refused: { name: string; status: number; token: () => Promise<string | undefined> }[] =
        [
          { name: 'a missing token', status: 403, token: () => Promise.resolve(undefined) },
          {
            // Not an invoker of any subscriber (the relay identity may call the seller's sweep).
            name: 'a wrong identity',
            status: 403,
            token: () =>
              productionAuth().google.mint(
                `stranger@${testConfig.GOOGLE_CLOUD_PROJECT}.iam.gserviceaccount.com`,
                audienceOf(service),
              ),
          },
          {
            name: 'a wrong audience',
            status: 403,
            token: () =>
              productionAuth().google.mint(productionAuth().pushIdentity, audienceOf('order')),
          },
        ];
      for (const { name, status, token } of refused) {
        it(`refuses ${name} with ${status} before the service`, async () => {
          const before = productionAuth().frontEnd.forwarded(service);
          const bearer = await token();
          const answer = await post(url(), bearer && `Bearer ${bearer}`);

          expect(answer).to.deep.equal({ status, type: 'text/html; charset=UTF-8' });
          expect(productionAuth().frontEnd.forwarded(service)).to.equal(before);
        });
      }
    });
  }

  describe('the subscribers themselves, were a request to get past Cloud Run', () => {
    const direct = (service: ServiceName) =>
      `${localSystem().urls.services[service]}/pubsub/order-placed`;
    const pushToken = () =>
      productionAuth().google.mint(productionAuth().pushIdentity, audienceOf('seller'));

    it('accept the forwarded token and a signed one, both verified against the issuer keys', async () => {
      // 400: past authentication, the handler refuses a body that is no push envelope.
      expect((await post(direct('seller'), `Bearer ${strip(await pushToken())}`)).status).to.equal(
        400,
      );
      expect((await post(direct('seller'), `Bearer ${await pushToken()}`)).status).to.equal(400);
    });

    const refused: { name: string; token: () => Promise<string | undefined> }[] = [
      { name: 'no token', token: () => Promise.resolve(undefined) },
      {
        name: 'a signature neither real nor removed by Google',
        token: async () => (await pushToken()).replace(/\.[^.]+$/, '.Zm9yZ2Vk'),
      },
      {
        name: 'alg none',
        token: async () =>
          strip(
            `${Buffer.from('{"alg":"none"}').toString('base64url')}.${(await pushToken()).split('.')[1]}.x`,
          ),
      },
      {
        name: "another service's audience",
        token: async () =>
          strip(
            await productionAuth().google.mint(productionAuth().pushIdentity, audienceOf('order')),
          ),
      },
    ];
    for (const { name, token } of refused) {
      it(`refuse ${name} with 401`, async () => {
        const bearer = await token();
        expect((await post(direct('seller'), bearer && `Bearer ${bearer}`)).status).to.equal(401);
      });
    }
  });

  describe("the outbox relay: the order service is public, so Cloud Run passes the scheduler's token as it is", () => {
    const relay = () => `${localSystem().urls.orderApi}/internal/outbox/relay`;
    const schedulerToken = () =>
      productionAuth().google.mint(productionAuth().relayIdentity, audienceOf('order'));

    it("runs for the scheduler's signed token", async () => {
      expect((await post(relay(), `Bearer ${await schedulerToken()}`)).status).to.equal(200);
    });

    const refused: { name: string; token: () => Promise<string | undefined> }[] = [
      { name: 'no token', token: () => Promise.resolve(undefined) },
      {
        name: 'an unsigned token, which only a private service may trust',
        token: async () => strip(await schedulerToken()),
      },
      {
        name: 'the push identity',
        token: () =>
          productionAuth().google.mint(productionAuth().pushIdentity, audienceOf('order')),
      },
    ];
    for (const { name, token } of refused) {
      it(`refuses ${name} with 401`, async () => {
        const bearer = await token();
        expect((await post(relay(), bearer && `Bearer ${bearer}`)).status).to.equal(401);
      });
    }
  });
});
