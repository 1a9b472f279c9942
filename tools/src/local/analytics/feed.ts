import type { Message, PubSub, Subscription } from '@google-cloud/pubsub';
import { analyticsTables } from '@orderflow/analytics';
import type { Topology } from '@orderflow/topology';
import type { LogSink } from '../processes.js';
import type { AnalyticsDatabase, AnalyticsMessage } from './database.js';

const asAnalyticsMessage = (subscription: string, message: Message): AnalyticsMessage => ({
  subscription,
  messageId: message.id,
  publishTime: message.publishTime,
  attributes: message.attributes,
  data: message.data.toString('utf8'),
});

/**
 * What a BigQuery subscription does in Google Cloud, done locally: each analytics table's pull
 * subscription on the emulator (the same name, dead-letter policy and dead-letter topic as in
 * the project) is written to the local database, a message acknowledged once its row is
 * written; a message the table refuses is retried and, at the end, dead-lettered, and what
 * reaches a dead-letter topic is kept in `dead_letters`.
 */
export function startAnalyticsFeed(
  pubsub: PubSub,
  database: AnalyticsDatabase,
  topology: Topology,
  log: LogSink,
): { close(): Promise<void> } {
  const subscriptions: Subscription[] = [];
  const feed = (name: string, write: (message: AnalyticsMessage) => Promise<void>) => {
    const subscription = pubsub.subscription(name);
    subscription.on('message', (message: Message) => {
      write(asAnalyticsMessage(name, message)).then(
        () => message.ack(),
        (error: unknown) => {
          log('analytics', `${name}: message ${message.id} not written: ${String(error)}`);
          message.nack();
        },
      );
    });
    subscription.on('error', (error: unknown) => log('analytics', `${name}: ${String(error)}`));
    subscriptions.push(subscription);
  };
  for (const table of analyticsTables(topology)) {
    feed(table.subscription, (message) => database.write(table.topic, message));
    feed(table.deadLetterTopic, (message) => database.writeDeadLetter(message));
  }
  return {
    close: async () => {
      await Promise.all(subscriptions.map((s) => s.close()));
    },
  };
}
