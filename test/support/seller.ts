import type { Seller } from '@orderflow/seller/domain/seller-notice';
import type { SellerDirectory, WebhookMessage, WebhookSender } from '@orderflow/seller/ports';

export class InMemorySellerDirectory implements SellerDirectory {
  readonly sellers = new Map<string, Seller>();

  constructor(sellers: readonly Seller[] = []) {
    for (const seller of sellers) this.sellers.set(seller.id, seller);
  }

  find(sellerId: string): Promise<Seller | undefined> {
    return Promise.resolve(this.sellers.get(sellerId));
  }
}

/** Records every webhook it is asked to send; a URL in `failing` answers like a 500. */
export class RecordingWebhookSender implements WebhookSender {
  readonly attempts: WebhookMessage[] = [];
  readonly delivered: WebhookMessage[] = [];
  readonly failing = new Set<string>();

  send(message: WebhookMessage): Promise<void> {
    this.attempts.push(message);
    if (this.failing.has(message.url)) {
      return Promise.reject(new Error(`webhook ${message.url} answered 500`));
    }
    this.delivered.push(message);
    return Promise.resolve();
  }
}
