import { signWebhook } from '../standard-webhooks.js';
import type { WebhookMessage, WebhookSender } from '../ports.js';

export interface SignedWebhookSenderOptions {
  secret: string;
  timeoutMs: number;
  clock: () => Date;
}

export class SignedWebhookSender implements WebhookSender {
  constructor(private readonly options: SignedWebhookSenderOptions) {}

  async send(message: WebhookMessage): Promise<void> {
    const body = JSON.stringify(message.payload);
    const response = await fetch(message.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signWebhook(this.options.secret, message.id, body, this.options.clock()),
      },
      body,
      signal: AbortSignal.any([
        AbortSignal.timeout(this.options.timeoutMs),
        ...(message.signal ? [message.signal] : []),
      ]),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`webhook ${message.url} answered ${response.status}`);
  }
}
