import { createServer } from 'node:http';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { listen, sendJson, type RunningServer } from './http.js';

export interface CapturedMail {
  messageId: string | undefined;
  from: string | undefined;
  to: string[];
  subject: string | undefined;
  text: string | undefined;
  receivedAt: string;
}

/**
 * An SMTP server that keeps every mail in memory, and an HTTP API to read them:
 * `GET /messages[?to=address]` lists them, `DELETE /messages` empties the box.
 */
export async function startMailCapture(smtpPort: number, httpPort: number): Promise<RunningServer> {
  const mails: CapturedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      simpleParser(stream).then(
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
