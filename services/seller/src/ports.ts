import type { Seller } from './domain/seller-notice.js';

export interface SellerDirectory {
  find(sellerId: string): Promise<Seller | undefined>;
}

export interface WebhookMessage {
  url: string;
  id: string;
  payload: unknown;
  /** Whose secrets sign it, and which of their versions: one signature each. */
  sellerId: string;
  secretVersions: readonly number[];
  signal?: AbortSignal | undefined;
}

export interface WebhookSender {
  /** Resolves once the endpoint answered 2xx; rejects on any other answer or a timeout. */
  send(message: WebhookMessage): Promise<void>;
}
