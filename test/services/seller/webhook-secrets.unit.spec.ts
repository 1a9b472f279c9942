import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import {
  sellerSecret,
  webhookKeyProblem,
  webhookSignature,
} from '@orderflow/seller/webhook-secrets';

const key = (bytes: number) => `whsec_${Buffer.alloc(bytes, 7).toString('base64')}`;
const master = key(32);

/**
 * The test vector of the Standard Webhooks reference libraries (svix-webhooks, e.g. its PHP
 * `testSignFunctionWorks`): what we send is what any seller's verifier expects.
 */
const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: new Date(1614265330 * 1000),
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('webhook keys', () => {
  it('takes whsec_ and the base64 of 24 to 64 bytes', () => {
    for (const bytes of [24, 32, 64])
      expect(webhookKeyProblem(key(bytes)), `${bytes}`).to.equal(undefined);
  });

  const refused: [string, string, string][] = [
    ['no prefix', Buffer.alloc(32).toString('base64'), 'must start with whsec_'],
    ['another prefix', `whsk_${Buffer.alloc(32).toString('base64')}`, 'must start with whsec_'],
    ['not base64', `whsec_${'*'.repeat(44)}`, 'must be base64'],
    [
      'base64 with a character Node would skip',
      `${key(32).slice(0, 20)}!${key(32).slice(20)}`,
      'must be base64',
    ],
    ['too short a key', key(23), 'must be 24 to 64 bytes, not 23'],
    ['too long a key', key(65), 'must be 24 to 64 bytes, not 65'],
    ['nothing after the prefix', 'whsec_', 'not 0'],
  ];
  for (const [name, text, problem] of refused) {
    it(`refuses ${name}`, () => {
      expect(webhookKeyProblem(text)).to.contain(problem);
    });
  }
});

describe('seller secrets', () => {
  it('derive a valid, stable key for each seller and version, none the same', () => {
    const secrets = ['acme', 'bolt'].flatMap((seller) =>
      [1, 2, 3].map((version) => sellerSecret(master, seller, version)),
    );
    for (const secret of secrets) expect(webhookKeyProblem(secret)).to.equal(undefined);
    expect(new Set(secrets).size).to.equal(6);
    expect(sellerSecret(master, 'acme', 2)).to.equal(secrets[1]);
  });

  it('depend on the master key', () => {
    expect(sellerSecret(key(33), 'acme', 1)).to.not.equal(sellerSecret(master, 'acme', 1));
  });
});

describe('webhook signatures', () => {
  it('reproduce the Standard Webhooks test vector', () => {
    expect(webhookSignature([vector.secret], vector.id, vector.timestamp, vector.body)).to.equal(
      vector.signature,
    );
  });

  it('carry one v1 signature per secret, space-separated, each verifying with its own secret', () => {
    const [oldSecret, newSecret] = [1, 2].map((v) => sellerSecret(master, 'acme', v)) as [
      string,
      string,
    ];
    const now = new Date();
    const body = '{"type":"order.placed"}';
    const signature = webhookSignature([newSecret, oldSecret], 'msg_1', now, body);
    expect(signature).to.match(/^v1,\S+ v1,\S+$/);
    const headers = {
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': signature,
    };
    for (const secret of [oldSecret, newSecret]) {
      expect(new Webhook(secret).verify(body, headers)).to.deep.equal({ type: 'order.placed' });
    }
    expect(() => new Webhook(sellerSecret(master, 'acme', 3)).verify(body, headers)).to.throw(
      'No matching signature found',
    );
  });
});
