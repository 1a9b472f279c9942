import { SpanKind } from '@opentelemetry/api';
import { createTransport, type Transporter } from 'nodemailer';
import { withSpan } from './trace.js';

export interface Mail {
  to: string;
  subject: string;
  text: string;
  /** Stable per effect, so a duplicate that slips through is recognisable as one. */
  messageId: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = createTransport({
      url: smtpUrl,
      connectionTimeout: 5_000,
      greetingTimeout: 5_000,
      socketTimeout: 10_000,
    });
  }

  async send(mail: Mail): Promise<void> {
    await withSpan('smtp send', { kind: SpanKind.CLIENT }, async () => {
      await this.transport.sendMail({ from: this.from, ...mail });
    });
  }

  close(): void {
    this.transport.close();
  }
}

export class InMemoryMailer implements Mailer {
  readonly sent: Mail[] = [];
  failWith: Error | undefined;

  send(mail: Mail): Promise<void> {
    if (this.failWith) return Promise.reject(this.failWith);
    this.sent.push(mail);
    return Promise.resolve();
  }
}
