import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signing per the Standard Webhooks specification
 * (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md).
 * The secret is `whsec_` followed by the base64 key.
 */
export interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

const secretPrefix = 'whsec_';
const toleranceSeconds = 5 * 60;

function keyOf(secret: string): Buffer {
  if (!secret.startsWith(secretPrefix))
    throw new Error(`a webhook secret starts with ${secretPrefix}`);
  return Buffer.from(secret.slice(secretPrefix.length), 'base64');
}

function signature(key: Buffer, id: string, timestamp: string, body: string): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

export function signWebhook(secret: string, id: string, body: string, now: Date): WebhookHeaders {
  const timestamp = Math.floor(now.getTime() / 1000).toString();
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature(keyOf(secret), id, timestamp, body)}`,
  };
}

/** True when one of the signatures is valid and the timestamp within five minutes of `now`. */
export function verifyWebhook(
  secret: string,
  headers: Partial<WebhookHeaders>,
  body: string,
  now: Date,
): boolean {
  const { 'webhook-id': id, 'webhook-timestamp': timestamp } = headers;
  if (!id || !timestamp || !/^\d+$/.test(timestamp) || !headers['webhook-signature']) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > toleranceSeconds) return false;
  const expected = Buffer.from(signature(keyOf(secret), id, timestamp, body));
  return headers['webhook-signature'].split(' ').some((candidate) => {
    const [version, value] = candidate.split(',');
    const actual = Buffer.from(value ?? '');
    return (
      version === 'v1' && actual.length === expected.length && timingSafeEqual(actual, expected)
    );
  });
}
