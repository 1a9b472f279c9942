import { expect } from 'chai';
import { createHmac } from 'node:crypto';
import {
  signWebhook,
  verifyWebhook,
  type WebhookHeaders,
} from '@orderflow/seller/standard-webhooks';

/**
 * The test vector of the Standard Webhooks reference libraries (svix-webhooks, e.g. its PHP
 * `testSignFunctionWorks`): proves a seller's off-the-shelf verifier accepts what we send.
 */
const vector = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const vectorTime = new Date(vector.timestamp * 1000);

const secret = 'whsec_' + Buffer.from('a test signing key of 32 bytes!!').toString('base64');
const now = new Date('2025-03-01T10:00:00.000Z');
const body = JSON.stringify({ type: 'order.placed', data: { orderId: 'order-1' } });

describe('signWebhook', () => {
  it('reproduces the Standard Webhooks test vector', () => {
    expect(signWebhook(vector.secret, vector.id, vector.body, vectorTime)).to.deep.equal({
      'webhook-id': vector.id,
      'webhook-timestamp': String(vector.timestamp),
      'webhook-signature': vector.signature,
    });
  });

  it('stamps whole seconds', () => {
    const headers = signWebhook(secret, 'msg_1', body, new Date('2025-03-01T10:00:00.999Z'));
    expect(headers['webhook-timestamp']).to.equal(
      String(Date.parse('2025-03-01T10:00:00Z') / 1000),
    );
  });

  it('refuses a secret without the whsec_ prefix', () => {
    expect(() => signWebhook('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_1', body, now)).to.throw(
      /whsec_/,
    );
  });
});

describe('verifyWebhook', () => {
  const signed = signWebhook(secret, 'msg_1', body, now);
  const [, validSignature] = signed['webhook-signature'].split(',');

  it('accepts the Standard Webhooks test vector', () => {
    const headers: WebhookHeaders = {
      'webhook-id': vector.id,
      'webhook-timestamp': String(vector.timestamp),
      'webhook-signature': vector.signature,
    };
    expect(verifyWebhook(vector.secret, headers, vector.body, vectorTime)).to.equal(true);
  });

  it('accepts what signWebhook signed', () => {
    expect(verifyWebhook(secret, signed, body, now)).to.equal(true);
  });

  const cases: {
    name: string;
    headers: Partial<WebhookHeaders>;
    body?: string;
    at?: Date;
    key?: string;
    valid: boolean;
  }[] = [
    {
      name: 'a tampered body',
      headers: signed,
      body: body.replace('order-1', 'order-2'),
      valid: false,
    },
    { name: 'another message id', headers: { ...signed, 'webhook-id': 'msg_2' }, valid: false },
    {
      name: 'a changed timestamp',
      headers: { ...signed, 'webhook-timestamp': String(Number(signed['webhook-timestamp']) + 1) },
      valid: false,
    },
    {
      name: 'the wrong secret',
      headers: signed,
      key: 'whsec_' + Buffer.from('another key of thirty-two bytes!').toString('base64'),
      valid: false,
    },
    {
      name: 'a signature 5 minutes old',
      headers: signed,
      at: new Date(now.getTime() + 300_000),
      valid: true,
    },
    {
      name: 'a signature over 5 minutes old',
      headers: signed,
      at: new Date(now.getTime() + 301_000),
      valid: false,
    },
    {
      name: 'a signature over 5 minutes ahead',
      headers: signed,
      at: new Date(now.getTime() - 301_000),
      valid: false,
    },
    {
      name: 'several signatures, one valid',
      headers: { ...signed, 'webhook-signature': `v1,bm9wZQ== ${signed['webhook-signature']}` },
      valid: true,
    },
    {
      name: 'several signatures, none valid',
      headers: { ...signed, 'webhook-signature': 'v1,bm9wZQ== v1,c3RpbGwgbm9wZQ==' },
      valid: false,
    },
    {
      name: 'a valid signature under another version',
      headers: { ...signed, 'webhook-signature': `v1a,${validSignature!}` },
      valid: false,
    },
    { name: 'no signature', headers: { ...signed, 'webhook-signature': '' }, valid: false },
    { name: 'no id', headers: { ...signed, 'webhook-id': undefined }, valid: false },
    { name: 'no timestamp', headers: { ...signed, 'webhook-timestamp': undefined }, valid: false },
  ];
  for (const { name, headers, valid, ...given } of cases) {
    it(`${valid ? 'accepts' : 'refuses'} ${name}`, () => {
      expect(
        verifyWebhook(given.key ?? secret, headers, given.body ?? body, given.at ?? now),
      ).to.equal(valid);
    });
  }

  it('signs id, timestamp and body joined by dots with the decoded key', () => {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    const expected = createHmac('sha256', key)
      .update(`msg_1.${signed['webhook-timestamp']}.${body}`)
      .digest('base64');
    expect(signed['webhook-signature']).to.equal(`v1,${expected}`);
  });
});
