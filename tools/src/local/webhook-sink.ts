import { createServer } from 'node:http';
import { verifyWebhook, type WebhookHeaders } from '@orderflow/seller/standard-webhooks';
import { listen, readBody, sendJson, type RunningServer } from './http.js';

export interface ReceivedWebhook {
  sellerId: string;
  webhookId: string | undefined;
  /** Verified on arrival with the sink's secret; `headers` and `body` let a test check again. */
  signatureValid: boolean;
  headers: Partial<WebhookHeaders>;
  body: string;
  payload: unknown;
  receivedAt: string;
}

interface Behaviour {
  /** Answer every webhook with this status instead of 200. */
  status: number;
  delayMs: number;
}

/**
 * Plays the sellers' webhook endpoints: `POST /sellers/{sellerId}` verifies the
 * Standard Webhooks signature and records the call. `GET /webhooks` lists what arrived
 * (answered with 2xx only); `DELETE /webhooks` forgets it; `PUT /behaviour` with
 * `{"status":500,"delayMs":0}` injects a fault, `{"status":200}` heals it.
 */
export async function startWebhookSink(port: number, secret: string): Promise<RunningServer> {
  const received: ReceivedWebhook[] = [];
  let behaviour: Behaviour = { status: 200, delayMs: 0 };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const seller = /^\/sellers\/([^/]+)$/.exec(url.pathname)?.[1];
      if (req.method === 'POST' && seller) {
        const body = await readBody(req);
        const { status, delayMs } = behaviour;
        if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
        if (status >= 300) {
          sendJson(res, status, { error: 'injected failure' });
          return;
        }
        const headers: Partial<WebhookHeaders> = {
          'webhook-id': req.headers['webhook-id'] as string | undefined,
          'webhook-timestamp': req.headers['webhook-timestamp'] as string | undefined,
          'webhook-signature': req.headers['webhook-signature'] as string | undefined,
        };
        received.push({
          sellerId: decodeURIComponent(seller),
          webhookId: headers['webhook-id'],
          signatureValid: verifyWebhook(secret, headers, body, new Date()),
          headers,
          body,
          payload: JSON.parse(body) as unknown,
          receivedAt: new Date().toISOString(),
        });
        sendJson(res, 200, { received: true });
        return;
      }
      if (url.pathname === '/webhooks' && req.method === 'DELETE') {
        received.length = 0;
        sendJson(res, 200, { webhooks: [] });
        return;
      }
      if (url.pathname === '/webhooks') {
        sendJson(res, 200, { webhooks: received });
        return;
      }
      if (url.pathname === '/behaviour' && req.method === 'PUT') {
        behaviour = {
          status: 200,
          delayMs: 0,
          ...(JSON.parse(await readBody(req)) as Partial<Behaviour>),
        };
        sendJson(res, 200, behaviour);
        return;
      }
      sendJson(res, 404, { error: 'not found' });
    })();
  });
  return listen(server, port);
}
