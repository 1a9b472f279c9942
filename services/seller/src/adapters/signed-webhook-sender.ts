import { sellerSecret, webhookSignature } from '../webhook-secrets.js';
import type { WebhookMessage, WebhookSender } from '../ports.js';

export interface SignedWebhookSenderOptions {
  /** The master key every seller's secrets derive from. */
  masterKey: string;
  timeoutMs: number;
  clock: () => Date;
}

export class SignedWebhookSender implements WebhookSender {
  constructor(private readonly options: SignedWebhookSenderOptions) {}

  async send(message: WebhookMessage): Promise<void> {
    const { masterKey, clock, timeoutMs } = this.options;
    const body = JSON.stringify(message.payload);
    const now = clock();
    const secrets = message.secretVersions.map((v) => sellerSecret(masterKey, message.sellerId, v));
    const response = await fetch(message.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
        'webhook-signature': webhookSignature(secrets, message.id, now, body),
      },
      body,
      signal: AbortSignal.any([
        AbortSignal.timeout(timeoutMs),
        ...(message.signal ? [message.signal] : []),
      ]),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`webhook ${message.url} answered ${response.status}`);
  }
}
