import { expect } from 'chai';
import request from 'supertest';
import { base64url } from 'jose';
import { orderPlacedType } from '@orderflow/events';
import { removedSignature, verifyGoogleOidc, type GoogleOidcOptions } from '@orderflow/platform';
import { createSubscriberApp, route } from '@orderflow/subscriber';
import { anOrderPlacedEvent, pushEnvelope } from '../../support/events.js';
import { aTestIssuer, bearer, type TestIssuer, type TokenOptions } from '../../support/identity.js';
import { expectProblem } from '../../support/problem.js';
import { subscriberDeps } from '../../support/subscriber.js';

const audience = 'https://seller.test/pubsub/order-placed';
const pushIdentity = 'pubsub-push@demo.iam.gserviceaccount.com';

/** The token as Cloud Run forwards it to a private service once it has verified it. */
const stripped = (token: string) => token.replace(/\.[^.]+$/, `.${removedSignature}`);
const withHeader = (token: string, header: object) =>
  [base64url.encode(JSON.stringify(header)), ...token.split('.').slice(1)].join('.');

describe('subscriber kit: push authentication', () => {
  let google: TestIssuer;
  let effects: number;

  before(async () => {
    google = await aTestIssuer({ issuer: 'https://accounts.google.com', audience, alg: 'RS256' });
  });
  beforeEach(() => {
    effects = 0;
  });

  const push = (mode: GoogleOidcOptions['mode'], token?: string) => {
    const app = createSubscriberApp(
      {
        '/pubsub/order-placed': route('auth-test', orderPlacedType, () => {
          effects++;
          return Promise.resolve();
        }),
      },
      subscriberDeps({
        pushAuth: verifyGoogleOidc({
          mode,
          audience,
          serviceAccount: pushIdentity,
          keys: google.keys,
        }),
      }),
    );
    const req = request(app).post('/pubsub/order-placed').send(pushEnvelope(anOrderPlacedEvent()));
    return token === undefined ? req : req.set('Authorization', token);
  };

  const token = async (claims: Record<string, unknown> = {}, options: TokenOptions = {}) =>
    bearer(await google.token({ email: pushIdentity, email_verified: true, ...claims }, options));

  const expectRefused = async (mode: GoogleOidcOptions['mode'], authorization?: string) => {
    expectProblem(await push(mode, authorization), 401, 'unauthenticated');
    expect(effects).to.equal(0);
  };

  for (const mode of ['oidc', 'cloud-run'] as const) {
    describe(`${mode} mode`, () => {
      it('answers 204 to a push carrying a signed token of the push identity', async () => {
        await push(mode, await token()).expect(204);
        expect(effects).to.equal(1);
      });

      it('accepts the issuer without scheme, as Google also writes it', async () => {
        await push(mode, await token({}, { issuer: 'accounts.google.com' })).expect(204);
      });

      const refused: { name: string; authorization: () => Promise<string | undefined> }[] = [
        { name: 'no token', authorization: () => Promise.resolve(undefined) },
        {
          name: 'a scheme other than Bearer',
          authorization: async () => (await token()).replace('Bearer', 'Basic'),
        },
        {
          name: 'another audience',
          authorization: () => token({}, { audience: 'https://x.test' }),
        },
        {
          name: 'another service account',
          authorization: () => token({ email: 'someone@demo.iam.gserviceaccount.com' }),
        },
        { name: 'an unverified email', authorization: () => token({ email_verified: false }) },
        { name: 'no email', authorization: () => token({ email: undefined }) },
        { name: 'another issuer', authorization: () => token({}, { issuer: 'https://x.test' }) },
        { name: 'an expired token', authorization: () => token({}, { expiresIn: '-1m' }) },
        { name: 'a forged signature', authorization: () => token({}, { forged: true }) },
        {
          name: 'a signature that is neither real nor removed by Google',
          authorization: async () => (await token()).replace(/\.[^.]+$/, '.c2lnbmF0dXJl'),
        },
        {
          name: 'alg none with an empty signature',
          authorization: async () =>
            withHeader(await token(), { alg: 'none' }).replace(/[^.]+$/, ''),
        },
        {
          name: 'alg none with the signature removed',
          authorization: async () => stripped(withHeader(await token(), { alg: 'none' })),
        },
      ];
      for (const { name, authorization } of refused) {
        it(`answers 401 to ${name}, without running the effect`, async () => {
          await expectRefused(mode, await authorization());
        });
      }
    });
  }

  describe('the token Cloud Run forwards, its signature removed', () => {
    it('is accepted in cloud-run mode once its claims check out', async () => {
      await push('cloud-run', stripped(await token())).expect(204);
      expect(effects).to.equal(1);
    });

    it('is refused in oidc mode: a service made public by mistake trusts no unsigned claims', async () => {
      await expectRefused('oidc', stripped(await token()));
    });

    const refused: { name: string; authorization: () => Promise<string> }[] = [
      {
        name: 'another audience',
        authorization: async () => stripped(await token({}, { audience: 'https://x.test' })),
      },
      {
        name: 'another service account',
        authorization: async () =>
          stripped(await token({ email: 'x@demo.iam.gserviceaccount.com' })),
      },
      {
        name: 'an unverified email',
        authorization: async () => stripped(await token({ email_verified: false })),
      },
      {
        name: 'another issuer',
        authorization: async () => stripped(await token({}, { issuer: 'https://x.test' })),
      },
      {
        name: 'an expired token',
        authorization: async () => stripped(await token({}, { expiresIn: '-1m' })),
      },
      {
        name: 'an algorithm Google does not sign with',
        authorization: async () => stripped(withHeader(await token(), { alg: 'HS256' })),
      },
      {
        name: 'a fourth part after the removed signature',
        authorization: async () => `${stripped(await token())}.extra`,
      },
      {
        name: 'claims that are not JSON',
        authorization: async () => {
          const [header = ''] = (await token()).split('.');
          return `${header}.bm90LWpzb24.${removedSignature}`;
        },
      },
    ];
    for (const { name, authorization } of refused) {
      it(`is refused with ${name}`, async () => {
        await expectRefused('cloud-run', await authorization());
      });
    }
  });
});
