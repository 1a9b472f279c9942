import { expect } from 'chai';
import request from 'supertest';
import { verifyGoogleOidc } from '@orderflow/platform';
import { createSubscriberApp } from '@orderflow/subscriber';
import { anOrderPlacedEvent, pushEnvelope } from '../../support/events.js';
import { aTestIssuer, bearer, type TestIssuer, type TokenOptions } from '../../support/identity.js';
import { expectProblem } from '../../support/problem.js';
import { subscriberDeps } from '../../support/subscriber.js';

const audience = 'https://seller.test/pubsub/order-placed';
const pushIdentity = 'pubsub-push@demo.iam.gserviceaccount.com';

describe('subscriber kit: push authentication', () => {
  let google: TestIssuer;
  let effects: number;
  let app: ReturnType<typeof createSubscriberApp>;

  before(async () => {
    google = await aTestIssuer({ issuer: 'https://accounts.google.com', audience });
  });

  beforeEach(() => {
    effects = 0;
    app = createSubscriberApp(
      'auth-test',
      {
        '/pubsub/order-placed': () => {
          effects++;
          return Promise.resolve();
        },
      },
      subscriberDeps({
        pushAuth: verifyGoogleOidc({ audience, serviceAccount: pushIdentity, keys: google.keys }),
      }),
    );
  });

  const push = (authorization?: string) => {
    const req = request(app).post('/pubsub/order-placed').send(pushEnvelope(anOrderPlacedEvent()));
    return authorization === undefined ? req : req.set('Authorization', authorization);
  };

  const token = async (claims: Record<string, unknown> = {}, options: TokenOptions = {}) =>
    bearer(await google.token({ email: pushIdentity, email_verified: true, ...claims }, options));

  it('answers 204 to a push carrying the push identity token', async () => {
    await push(await token()).expect(204);
    expect(effects).to.equal(1);
  });

  it('accepts the issuer without scheme, as Google also writes it', async () => {
    await push(await token({}, { issuer: 'accounts.google.com' })).expect(204);
  });

  const refused: { name: string; authorization: () => Promise<string | undefined> }[] = [
    { name: 'no token', authorization: () => Promise.resolve(undefined) },
    {
      name: 'a scheme other than Bearer',
      authorization: async () => (await token()).replace('Bearer', 'Basic'),
    },
    {
      name: 'another audience',
      authorization: () => token({}, { audience: 'https://other.test' }),
    },
    {
      name: 'another service account',
      authorization: () => token({ email: 'someone@demo.iam.gserviceaccount.com' }),
    },
    { name: 'an unverified email', authorization: () => token({ email_verified: false }) },
    { name: 'no email', authorization: () => token({ email: undefined }) },
    { name: 'another issuer', authorization: () => token({}, { issuer: 'https://issuer.test' }) },
    { name: 'an expired token', authorization: () => token({}, { expiresIn: '-1m' }) },
    { name: 'a forged signature', authorization: () => token({}, { forged: true }) },
  ];
  for (const { name, authorization } of refused) {
    it(`answers 401 to ${name}, without running the effect`, async () => {
      expectProblem(await push(await authorization()), 401, 'unauthenticated');
      expect(effects).to.equal(0);
    });
  }
});
