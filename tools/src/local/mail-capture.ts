import { createServer } from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { listen, readBody, sendJson, type RunningServer } from './http.js';

export interface CapturedMail {
  messageId: string | undefined;
  from: string | undefined;
  to: string[];
  subject: string | undefined;
  text: string | undefined;
  receivedAt: string;
}

/** What the mail server does with a mail: refuse it (451, try later), or answer only after a delay. */
export interface MailBehaviour {
  refuse: boolean;
  delayMs: number;
}

const healthy: MailBehaviour = { refuse: false, delayMs: 0 };

/**
 * An SMTP server that keeps every mail in memory, and an HTTP API to read them:
 * `GET /messages[?to=address]` lists them, `DELETE /messages` empties the box. `PUT /behaviour`
 * with `{"refuse":true}` or `{"delayMs":30000}` makes it fail as a mail server does (the fault
 * campaign); `{}` heals it.
 */
export async function startMailCapture(smtpPort: number, httpPort: number): Promise<RunningServer> {
  const mails: CapturedMail[] = [];
  let behaviour = healthy;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const { refuse, delayMs } = behaviour;
      if (refuse) {
        stream.resume();
        stream.once('end', () => {
          callback(Object.assign(new Error('injected refusal'), { responseCode: 451 }));
        });
        return;
      }
      // A hung server still takes the mail in the end: the sender may have given up on it by then.
      const parsing = simpleParser(stream);
      void new Promise((resolve) => setTimeout(resolve, delayMs))
        .then(() => parsing)
        .then(
          (parsed) => {
            mails.push({
              messageId: parsed.messageId,
              from: parsed.from?.text,
              to: session.envelope.rcptTo.map((r) => r.address),
              subject: parsed.subject,
              text: parsed.text,
              receivedAt: new Date().toISOString(),
            });
            callback();
          },
          (error: unknown) => {
            callback(error instanceof Error ? error : new Error(String(error)));
          },
        );
    },
  });
  await new Promise<void>((resolve, reject) => {
    smtp.once('error', reject);
    smtp.listen(smtpPort, '127.0.0.1', resolve);
  });

  const api = await listen(
    createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname === '/behaviour' && req.method === 'PUT') {
        void readBody(req).then((body) => {
          behaviour = { ...healthy, ...(JSON.parse(body) as Partial<MailBehaviour>) };
          sendJson(res, 200, behaviour);
        });
        return;
      }
      if (url.pathname !== '/messages') return sendJson(res, 404, { error: 'not found' });
      if (req.method === 'DELETE') {
        mails.length = 0;
        return sendJson(res, 200, { messages: [] });
      }
      const to = url.searchParams.get('to');
      sendJson(res, 200, { messages: to ? mails.filter((m) => m.to.includes(to)) : mails });
    }),
    httpPort,
  );
  return {
    url: api.url,
    close: async () => {
      await Promise.all([api.close(), new Promise<void>((resolve) => smtp.close(resolve))]);
    },
  };
}
