import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { sellerSecret } from '@orderflow/seller/webhook-secrets';
import { listen, readBody, sendJson, type RunningServer } from './http.js';

interface WebhookHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export interface ReceivedWebhook {
  sellerId: string;
  webhookId: string | undefined;
  /** Verified on arrival with the seller's secret; `headers` and `body` let a test check again. */
  signatureValid: boolean;
  /** The versions of the seller's secret that one of the signatures verifies with. */
  signedWith: number[];
  headers: Partial<WebhookHeaders>;
  body: string;
  payload: unknown;
  receivedAt: string;
}

/** Every call, answered or failed on purpose, to see the retries. */
export interface WebhookAttempt {
  sellerId: string;
  webhookId: string | undefined;
  status: number;
  at: string;
}

/** What the stand-in does, for one seller or for all (`*`). */
export interface SinkBehaviour {
  /** Answer with this status instead of 200. */
  status: number;
  delayMs: number;
  /** Reset the connection instead of answering (recorded as status 0). */
  reset?: boolean;
}

const healthy: SinkBehaviour = { status: 200, delayMs: 0 };

/**
 * A real seller knows its own secret; the sink plays them all, so it derives each seller's from
 * the local master key and tries the first versions (a test rotates a seller a few times at most).
 */
const versionsTried = 10;

function signedWith(
  masterKey: string,
  sellerId: string,
  headers: Partial<WebhookHeaders>,
  body: string,
) {
  const versions = Array.from({ length: versionsTried }, (_, i) => i + 1);
  const present = Object.fromEntries(
    Object.entries(headers as Record<string, string | undefined>).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
  return versions.filter((version) => {
    try {
      new Webhook(sellerSecret(masterKey, sellerId, version)).verify(body, present);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Plays the sellers' webhook endpoints: `POST /sellers/{sellerId}` verifies the Standard
 * Webhooks signature with the official library and records the call. `GET /webhooks` lists the calls it accepted,
 * `GET /attempts` every call with the status it got, `DELETE /webhooks` forgets both.
 * `PUT /behaviour` with `{"status":500,"delayMs":0}` (or `{"reset":true}`) injects a fault for
 * every seller, or for one with `"sellerId"`; `{"status":200}` heals it. `GET /behaviour` lists what is set.
 */
export async function startWebhookSink(port: number, masterKey: string): Promise<RunningServer> {
  const received: ReceivedWebhook[] = [];
  const attempts: WebhookAttempt[] = [];
  const behaviours = new Map<string, SinkBehaviour>();

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const seller = /^\/sellers\/([^/]+)$/.exec(url.pathname)?.[1];
      if (req.method === 'POST' && seller) {
        const sellerId = decodeURIComponent(seller);
        const body = await readBody(req);
        const { status, delayMs, reset } =
          behaviours.get(sellerId) ?? behaviours.get('*') ?? healthy;
        if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
        const headers: Partial<WebhookHeaders> = {
          'webhook-id': req.headers['webhook-id'] as string | undefined,
          'webhook-timestamp': req.headers['webhook-timestamp'] as string | undefined,
          'webhook-signature': req.headers['webhook-signature'] as string | undefined,
        };
        const at = new Date().toISOString();
        attempts.push({
          sellerId,
          webhookId: headers['webhook-id'],
          status: reset ? 0 : status,
          at,
        });
        if (reset) {
          req.socket.destroy();
          return;
        }
        if (status >= 300) {
          sendJson(res, status, { error: 'injected failure' });
          return;
        }
        const versions = signedWith(masterKey, sellerId, headers, body);
        received.push({
          sellerId,
          webhookId: headers['webhook-id'],
          signatureValid: versions.length > 0,
          signedWith: versions,
          headers,
          body,
          payload: JSON.parse(body) as unknown,
          receivedAt: at,
        });
        sendJson(res, 200, { received: true });
        return;
      }
      if (url.pathname === '/webhooks' && req.method === 'DELETE') {
        received.length = 0;
        attempts.length = 0;
        sendJson(res, 200, { webhooks: [] });
        return;
      }
      if (url.pathname === '/webhooks') {
        sendJson(res, 200, { webhooks: received });
        return;
      }
      if (url.pathname === '/attempts') {
        sendJson(res, 200, { attempts });
        return;
      }
      if (url.pathname === '/behaviour' && req.method === 'GET') {
        sendJson(res, 200, { behaviours: Object.fromEntries(behaviours) });
        return;
      }
      if (url.pathname === '/behaviour' && req.method === 'PUT') {
        const { sellerId = '*', ...change } = JSON.parse(
          await readBody(req),
        ) as Partial<SinkBehaviour> & {
          sellerId?: string;
        };
        const behaviour = { ...healthy, ...change };
        behaviours.set(sellerId, behaviour);
        sendJson(res, 200, { sellerId, ...behaviour });
        return;
      }
      sendJson(res, 404, { error: 'not found' });
    })();
  });
  return listen(server, port);
}
