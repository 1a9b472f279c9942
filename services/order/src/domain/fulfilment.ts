import type { FulfilmentRecord } from '@orderflow/events';

/** Every subscriber of the order's topic, with the record it wrote or `pending` if none yet. */
export function fulfilmentOf(
  subscribers: readonly string[],
  recorded: Readonly<Record<string, FulfilmentRecord>>,
): Record<string, FulfilmentRecord> {
  return Object.fromEntries(
    subscribers.map((name) => [name, recorded[name] ?? { state: 'pending', attempts: 0 }]),
  );
}
