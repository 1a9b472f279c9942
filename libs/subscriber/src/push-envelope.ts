import * as z from 'zod';
import { AppError } from '@orderflow/platform';

/**
 * The body Pub/Sub POSTs to a push endpoint.
 * https://cloud.google.com/pubsub/docs/push#receive_push
 */
export const pushEnvelopeSchema = z.object({
  message: z.object({
    /** The message payload, base64. The CloudEvent's data, as JSON. */
    data: z.base64().default(''),
    /** The CloudEvent's context (`ce-id`, `ce-type`, …), and after dead-lettering `CloudPubSubDeadLetterSource*`. */
    attributes: z.record(z.string(), z.string()).default({}),
    /** Assigned by Pub/Sub; differs between a message and its replay, unlike `ce-id`. */
    messageId: z.string().min(1),
    publishTime: z.string(),
  }),
  /** The subscription that delivered it: `projects/{project}/subscriptions/{name}`. */
  subscription: z.string().min(1),
  /** Set by Pub/Sub when the subscription has a dead-letter policy (not by the emulator). */
  deliveryAttempt: z.number().int().positive().optional(),
});

export type PushEnvelope = z.infer<typeof pushEnvelopeSchema>;

/** The envelope, or a 400 `invalid-event` problem listing what is wrong with it. */
export function parseEnvelope(body: unknown): PushEnvelope {
  const envelope = pushEnvelopeSchema.safeParse(body);
  if (envelope.success) return envelope.data;
  throw new AppError('invalid-event', 'the body is not a Pub/Sub push envelope', {
    invalidParams: envelope.error.issues.map((i) => ({
      name: i.path.join('.'),
      reason: i.message,
    })),
  });
}

/** The message's payload as text, with its attributes. */
export function decodeMessage(envelope: PushEnvelope) {
  const { message } = envelope;
  return {
    data: Buffer.from(message.data, 'base64').toString('utf8'),
    attributes: message.attributes,
  };
}
