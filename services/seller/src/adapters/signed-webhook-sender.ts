import type { LookupFunction } from 'node:net';
import type { Agent, request } from 'undici';
import { sellerSecret, webhookSignature } from '../webhook-secrets.js';
import { publicOnlyLookup, webhookUrlProblem, type WebhookTargets } from '../webhook-targets.js';
import type { WebhookMessage, WebhookSender } from '../ports.js';

export interface SignedWebhookSenderOptions {
  /** The master key every seller's secrets derive from. */
  masterKey: string;
  timeoutMs: number;
  clock: () => Date;
  targets: WebhookTargets;
  /** Resolves names on connect; by default the public-only lookup for `public` targets, else DNS. */
  lookup?: LookupFunction;
}

/** The most of an answer's body read (and then dropped): a seller's endpoint cannot make us buffer more. */
const maxAnswerBytes = 64 * 1024;

interface Client {
  request: typeof request;
  dispatcher: Agent;
}

export class SignedWebhookSender implements WebhookSender {
  /** undici, loaded by the first webhook: 1.3 MiB of JavaScript that no start needs. */
  private client: Promise<Client> | undefined;

  constructor(private readonly options: SignedWebhookSenderOptions) {}

  private connect(): Promise<Client> {
    return (this.client ??= import('undici').then(({ Agent, request }) => {
      const { targets, lookup = targets === 'public' ? publicOnlyLookup() : undefined } =
        this.options;
      return { request, dispatcher: new Agent(lookup ? { connect: { lookup } } : {}) };
    }));
  }

  async send(message: WebhookMessage): Promise<void> {
    const { masterKey, clock, timeoutMs, targets } = this.options;
    const problem = webhookUrlProblem(message.url, targets);
    if (problem) throw new Error(`webhook ${message.url} refused: ${problem}`);
    const body = JSON.stringify(message.payload);
    const now = clock();
    const secrets = message.secretVersions.map((v) => sellerSecret(masterKey, message.sellerId, v));
    const { request, dispatcher } = await this.connect();
    // undici's request follows no redirect: a 3xx is an answer like any other non-2xx.
    const response = await request(message.url, {
      dispatcher,
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
    await response.body.dump({ limit: maxAnswerBytes });
    const { statusCode } = response;
    if (statusCode < 200 || statusCode > 299) {
      throw new Error(`webhook ${message.url} answered ${statusCode}`);
    }
  }
}
