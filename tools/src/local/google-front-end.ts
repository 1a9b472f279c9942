import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { removedSignature } from '@orderflow/platform';
import type { ServiceName } from '@orderflow/topology';
import { listen, readBody } from './http.js';
import type { LocalGoogle } from './local-google.js';

/** A private Cloud Run service behind the stand-in, and who may invoke it. */
export interface PrivateService {
  service: ServiceName;
  /** Where the service really listens. */
  target: string;
  /** Accepted in the token's `aud`, besides the service's stand-in URL (Cloud Run's custom audiences). */
  audience: string;
  /** The members with `roles/run.invoker`, as e-mail addresses. */
  invokers: readonly string[];
}

export interface GoogleFrontEnd {
  url: string;
  /** Where Pub/Sub pushes for `service`: the stand-in mints the push identity's token there. */
  pushEndpoint: (service: ServiceName) => string;
  /** The service's URL as Cloud Run's front end serves it: every request is checked there. */
  serviceUrl: (service: ServiceName) => string;
  /** How many requests reached `service` through the front end. */
  forwarded: (service: ServiceName) => number;
  close(): Promise<void>;
}

export interface GoogleFrontEndOptions {
  port: number;
  google: LocalGoogle;
  services: readonly PrivateService[];
  /** The identity the push subscriptions' OIDC tokens are minted for. */
  pushIdentity: string;
}

/**
 * Does locally what Pub/Sub and Cloud Run's front end do in production, between the Pub/Sub
 * emulator, which sends neither a token nor `deliveryAttempt`, and the private subscribers.
 *
 * `POST /pubsub/{service}/…` is the emulator's push endpoint. As Pub/Sub does for a subscription
 * with an OIDC token and a dead-letter policy, it adds `deliveryAttempt` (counted per
 * subscription and message id) and a token of the push identity for the service's audience.
 *
 * `/run/{service}/…` is the service as Cloud Run serves it. As Cloud Run does for a service that
 * is not public, it checks the token (403 without one, 401 if it does not verify, 403 for another
 * audience or a caller without the invoker role), none of which reach the service, and forwards
 * the rest with the token's signature replaced by `SIGNATURE_REMOVED_BY_GOOGLE`.
 */
export async function startGoogleFrontEnd(options: GoogleFrontEndOptions): Promise<GoogleFrontEnd> {
  const { google } = options;
  let origin = `http://127.0.0.1:${options.port}`;
  const byName = new Map(options.services.map((s) => [s.service, s]));
  const forwarded = new Map<ServiceName, number>();
  const attempts = new Map<string, number>();
  const serviceUrl = (service: ServiceName) => `${origin}/run/${service}`;

  const cloudRun = async (
    service: PrivateService,
    path: string,
    req: IncomingMessage,
    authorization: string | undefined,
    body: Buffer,
  ): Promise<Answer> => {
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!token) return refusal(403, 'Your client does not have permission to get URL');
    const claims = await google.verify(token).catch(() => undefined);
    if (!claims) return refusal(401, 'Your client does not have permission to the requested URL');
    const audiences = [service.audience, serviceUrl(service.service)];
    const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const invoker = typeof claims.email === 'string' && service.invokers.includes(claims.email);
    if (!aud.some((a) => a !== undefined && audiences.includes(a)) || !invoker) {
      return refusal(403, 'Your client does not have permission to get URL');
    }
    const [header, payload] = token.split('.');
    forwarded.set(service.service, (forwarded.get(service.service) ?? 0) + 1);
    const response = await fetch(`${service.target}${path}`, {
      method: req.method ?? 'GET',
      headers: {
        'content-type': req.headers['content-type'] ?? 'application/octet-stream',
        authorization: `Bearer ${header}.${payload}.${removedSignature}`,
      },
      ...(body.length > 0 ? { body: new Uint8Array(body) } : {}),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type') ?? undefined,
      body: Buffer.from(await response.arrayBuffer()),
    };
  };

  const pubsub = async (
    service: PrivateService,
    path: string,
    req: IncomingMessage,
    raw: Buffer,
  ) => {
    const envelope = JSON.parse(raw.toString('utf8')) as {
      subscription?: string;
      message?: { messageId?: string };
    };
    const key = `${envelope.subscription}/${envelope.message?.messageId}`;
    const deliveryAttempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, deliveryAttempt);
    const token = await google.mint(options.pushIdentity, service.audience);
    const body = Buffer.from(JSON.stringify({ ...envelope, deliveryAttempt }));
    const answer = await cloudRun(service, path, req, `Bearer ${token}`, body);
    // Acknowledged: the message is never delivered again.
    if (answer.status < 300) attempts.delete(key);
    return answer;
  };

  const route = async (req: IncomingMessage): Promise<Answer> => {
    const url = new URL(req.url ?? '/', origin);
    const [, side, name = '', ...rest] = url.pathname.split('/');
    const service = byName.get(name as ServiceName);
    const path = `/${rest.join('/')}${url.search}`;
    const body = Buffer.from(await readBody(req));
    if (url.pathname === google.jwksPath) {
      const jwks = Buffer.from(JSON.stringify(google.jwks()));
      return { status: 200, contentType: 'application/json', body: jwks };
    }
    if (!service) return refusal(404, 'no such service');
    if (side === 'pubsub' && req.method === 'POST') return pubsub(service, path, req, body);
    if (side === 'run') return cloudRun(service, path, req, req.headers.authorization, body);
    return refusal(404, 'not found');
  };

  const server = createServer((req, res) => {
    void route(req)
      .catch((error: unknown) => refusal(502, `the front end failed: ${String(error)}`))
      .then((answer) => {
        send(res, answer);
      });
  });
  const running = await listen(server, options.port);
  origin = running.url;
  return {
    url: running.url,
    pushEndpoint: (service) => `${origin}/pubsub/${service}`,
    serviceUrl,
    forwarded: (service) => forwarded.get(service) ?? 0,
    close: () => running.close(),
  };
}

interface Answer {
  status: number;
  contentType?: string | undefined;
  body: Buffer;
}

/** Cloud Run's own refusals are HTML pages, never the service's problem documents. */
function refusal(status: number, message: string): Answer {
  return {
    status,
    contentType: 'text/html; charset=UTF-8',
    body: Buffer.from(`<html><title>Error ${status}</title><h1>${message}</h1></html>`),
  };
}

function send(res: ServerResponse, answer: Answer): void {
  if (res.headersSent) return;
  res.writeHead(answer.status, answer.contentType ? { 'content-type': answer.contentType } : {});
  res.end(answer.body);
}
