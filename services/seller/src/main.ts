import { z } from 'zod';
import { loadConfig, SmtpMailer } from '@orderflow/platform';
import { subscriberConfig, subscriberRuntime } from '@orderflow/subscriber';
import { FirestoreSellerDirectory } from './adapters/firestore-seller-directory.js';
import { SignedWebhookSender } from './adapters/signed-webhook-sender.js';
import { createApp } from './app.js';

const config = loadConfig(
  subscriberConfig({
    WEBHOOK_SECRET: z.string().startsWith('whsec_'),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
    SMTP_URL: z.url(),
    MAIL_FROM: z.string().min(1).default('Orderflow <orders@orderflow.example>'),
  }),
);
const runtime = subscriberRuntime('seller', config);
const mailer = new SmtpMailer(config.SMTP_URL, config.MAIL_FROM);
const app = createApp({
  ...runtime.deps,
  sellers: new FirestoreSellerDirectory(runtime.firestore),
  webhooks: new SignedWebhookSender({
    secret: config.WEBHOOK_SECRET,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    clock: runtime.deps.clock,
  }),
  mailer,
});
await runtime.serve(app, async () => {
  mailer.close();
  return Promise.resolve();
});
