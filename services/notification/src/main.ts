import { loadConfig } from '@orderflow/platform';
import { SmtpMailer } from '@orderflow/platform/mail';
import { subscriberRuntime } from '@orderflow/subscriber';
import { createApp } from './app.js';
import { notificationConfig } from './config.js';

const config = loadConfig(notificationConfig);
const runtime = subscriberRuntime('notification', config);
const mailer = new SmtpMailer(config.SMTP_URL, config.MAIL_FROM);
await runtime.serve(createApp({ ...runtime.deps, mailer }), async () => {
  mailer.close();
  return Promise.resolve();
});
