import type { SubscriptionPlan } from '@orderflow/topology';
import type { DeadLetters } from '../../shared/dead-letters.js';
import type { DeadLetter, DeadLetterDesk, ReplaySelection } from '../ports.js';

/**
 * The dead letters through the same module as `npm run dlq`. Its calls are run one at a time:
 * a listing holds the messages it pulled until it hands them back, so a replay that ran at the
 * same time would not find them.
 */
export class PubSubDeadLetterDesk implements DeadLetterDesk {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly deadLetters: DeadLetters,
    private readonly plans: readonly SubscriptionPlan[],
  ) {}

  list(): Promise<DeadLetter[]> {
    return this.serialised(async () =>
      (await Promise.all(this.plans.map((p) => this.deadLetters.list(p)))).flat(),
    );
  }

  replay(selection: ReplaySelection): Promise<DeadLetter[]> {
    const plan = this.plans.find((p) => p.subscriber === selection.subscriber);
    if (!plan) return Promise.reject(new Error(`unknown subscriber ${selection.subscriber}`));
    const chosen = (letter: DeadLetter) =>
      'all' in selection || letter.eventId === selection.eventId;
    return this.serialised(() => this.deadLetters.replay(plan, chosen, { dryRun: false }));
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
