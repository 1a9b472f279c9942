import * as z from 'zod';
import { loadConfig } from '@orderflow/platform';
import { SmtpMailer } from '@orderflow/platform/mail';
import { subscriberConfig, subscriberRuntime } from '@orderflow/subscriber';
import { createApp } from './app.js';

const config = loadConfig(
  subscriberConfig({
    SMTP_URL: z.url(),
    MAIL_FROM: z.string().min(1).default('Orderflow <orders@orderflow.example>'),
  }),
);
const runtime = subscriberRuntime('notification', config);
const mailer = new SmtpMailer(config.SMTP_URL, config.MAIL_FROM);
await runtime.serve(createApp({ ...runtime.deps, mailer }), async () => {
  mailer.close();
  return Promise.resolve();
});
