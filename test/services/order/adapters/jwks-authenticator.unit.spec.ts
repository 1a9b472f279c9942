import { expect } from 'chai';
import {
  createLocalJWKSet,
  exportJWK,
  generateKeyPair,
  SignJWT,
  UnsecuredJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { JwksAuthenticator } from '@orderflow/order/adapters/jwks-authenticator';
import { maxTokenBytes } from '@orderflow/platform';
import { AppError } from '@orderflow/platform';

const issuer = 'https://issuer.test';
const audience = 'orderflow-test';

describe('JwksAuthenticator', () => {
  let keys: JWTVerifyGetKey;
  let sign: (
    claims: JWTPayload,
    options?: { alg?: 'ES256' | 'ES384'; exp?: number },
  ) => Promise<string>;
  let authenticator: JwksAuthenticator;
  const now = () => Math.floor(Date.now() / 1000);

  before(async () => {
    const [es256, es384] = await Promise.all([generateKeyPair('ES256'), generateKeyPair('ES384')]);
    // The issuer publishes both keys but signs customers' tokens with ES256 only.
    keys = createLocalJWKSet({
      keys: [
        { ...(await exportJWK(es256.publicKey)), kid: 'k256', alg: 'ES256' },
        { ...(await exportJWK(es384.publicKey)), kid: 'k384', alg: 'ES384' },
      ],
    });
    sign = (claims, options = {}) => {
      const alg = options.alg ?? 'ES256';
      return new SignJWT(claims)
        .setProtectedHeader({ alg, kid: alg === 'ES256' ? 'k256' : 'k384' })
        .setIssuer(issuer)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime(options.exp ?? now() + 300)
        .sign(alg === 'ES256' ? es256.privateKey : es384.privateKey);
    };
    authenticator = new JwksAuthenticator({ issuer, audience, algorithms: ['ES256'], keys });
  });

  const ada = { sub: 'customer-ada', email: 'ada@example.com' };

  async function refusal(token: string): Promise<AppError> {
    const error = await authenticator.authenticate(token).then(
      () => expect.fail('the token was accepted'),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(AppError);
    expect((error as AppError).code).to.equal('unauthenticated');
    return error as AppError;
  }

  it('gives the customer of a valid token', async () => {
    expect(await authenticator.authenticate(await sign(ada))).to.deep.equal({
      id: 'customer-ada',
      email: 'ada@example.com',
    });
  });

  it('accepts email_verified true', async () => {
    await authenticator.authenticate(await sign({ ...ada, email_verified: true }));
  });

  it('refuses a token signed with another of the issuer’s algorithms than the pinned one', async () => {
    await refusal(await sign(ada, { alg: 'ES384' }));
  });

  it('refuses an unsigned token (alg none)', async () => {
    const token = new UnsecuredJWT(ada)
      .setIssuer(issuer)
      .setAudience(audience)
      .setExpirationTime('5m');
    await refusal(token.encode());
  });

  it('allows a clock a few seconds behind, not a minute', async () => {
    await authenticator.authenticate(await sign(ada, { exp: now() - 2 }));
    await refusal(await sign(ada, { exp: now() - 60 }));
  });

  it('refuses a token over the size cap before decoding it', async () => {
    const error = await refusal(`${'a'.repeat(maxTokenBytes)}.b.c`);
    expect(error.detail).to.contain('bytes');
  });

  const claimCases: { name: string; claims: JWTPayload; names: string }[] = [
    { name: 'no sub', claims: { email: ada.email }, names: 'sub' },
    { name: 'no email', claims: { sub: ada.sub }, names: 'email' },
    {
      name: 'an email the event schema refuses',
      claims: { ...ada, email: 'abc..def@example.jp' },
      names: 'email',
    },
    {
      name: 'an email that is not a string',
      claims: { ...ada, email: ['ada@example.com'] },
      names: 'email',
    },
    {
      name: 'an unverified email',
      claims: { ...ada, email_verified: false },
      names: 'email_verified',
    },
    {
      name: 'email_verified as text',
      claims: { ...ada, email_verified: 'true' },
      names: 'email_verified',
    },
    { name: 'a sub that breaks the id rule', claims: { ...ada, sub: '__admin__' }, names: 'sub' },
  ];
  for (const { name, claims, names } of claimCases) {
    it(`refuses ${name}, naming the claim`, async () => {
      const error = await refusal(await sign(claims));
      expect(error.detail).to.contain(names);
    });
  }
});
