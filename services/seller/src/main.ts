import { loadConfig, verifyGoogleOidc } from '@orderflow/platform';
import { SmtpMailer } from '@orderflow/platform/mail';
import { subscriberRuntime } from '@orderflow/subscriber';
import { FirestoreSellerDirectory } from './adapters/firestore-seller-directory.js';
import { SignedWebhookSender } from './adapters/signed-webhook-sender.js';
import { createApp } from './app.js';
import { sellerConfig } from './config.js';

const config = loadConfig(sellerConfig);
const runtime = subscriberRuntime('seller', config);
const mailer = new SmtpMailer(config.SMTP_URL, config.MAIL_FROM);
const app = createApp({
  ...runtime.deps,
  sellers: new FirestoreSellerDirectory(runtime.firestore),
  webhooks: new SignedWebhookSender({
    masterKey: config.WEBHOOK_MASTER_KEY,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    targets: config.WEBHOOK_TARGETS,
    clock: runtime.deps.clock,
  }),
  mailer,
  sellerRetries: {
    maxAttempts: config.SELLER_ATTEMPTS,
    minBackoffMs: config.SELLER_MIN_BACKOFF_MS,
    maxBackoffMs: config.SELLER_MAX_BACKOFF_MS,
  },
  sweepAuth: config.SWEEP_AUTH && verifyGoogleOidc(config.SWEEP_AUTH),
});
await runtime.serve(app, async () => {
  mailer.close();
  return Promise.resolve();
});
