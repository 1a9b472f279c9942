import type { FulfilmentRecord, FulfilmentState } from '@orderflow/events';

/**
 * What a customer may know of a subscriber's progress. The raw `lastError` (which may hold a
 * seller's webhook URL, an SMTP reply, internal names) stays in Firestore, the logs and the
 * operator tools; the customer gets a short category instead.
 */
export interface CustomerFulfilment {
  state: FulfilmentState;
  attempts: number;
  updatedAt?: string;
  issue?: string;
}

/** The category a customer sees while a subscriber is failing; a new subscriber gets the fallback. */
const issueOf: Readonly<Record<string, string>> = {
  notification: 'confirmation e-mail delayed',
  seller: 'seller endpoint unavailable',
  segmentation: 'customer profile update delayed',
};

/** Every subscriber of the order's topic, with the record it wrote or `pending` if none yet. */
export function fulfilmentOf(
  subscribers: readonly string[],
  recorded: Readonly<Record<string, FulfilmentRecord>>,
): Record<string, CustomerFulfilment> {
  return Object.fromEntries(subscribers.map((name) => [name, customerView(name, recorded[name])]));
}

function customerView(
  subscriber: string,
  record: FulfilmentRecord | undefined,
): CustomerFulfilment {
  if (!record) return { state: 'pending', attempts: 0 };
  const failing = record.state === 'retrying' || record.state === 'dead-lettered';
  return {
    state: record.state,
    attempts: record.attempts,
    ...(record.updatedAt === undefined ? {} : { updatedAt: record.updatedAt }),
    ...(failing ? { issue: issueOf[subscriber] ?? `${subscriber} unavailable` } : {}),
  };
}
