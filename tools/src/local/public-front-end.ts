import { createServer } from 'node:http';
import { createProxyServer } from 'http-proxy-3';
import { listen, type RunningServer } from './http.js';

export interface PublicFrontEnd extends RunningServer {
  /** How many requests each instance was given, by its URL. */
  forwarded: (instance: string) => number;
}

/**
 * Cloud Run's front end for the public order service, played locally: one address for every
 * instance, each request given to the next running instance in turn, and the caller's address
 * appended to `X-Forwarded-For` as Cloud Run does, which is why the order service trusts one hop
 * (`TRUSTED_PROXY_HOPS`). What a client wrote into the header stays before it and changes nothing.
 * An instance that fails or dies mid-request gets the caller a 502 page, as Cloud Run answers,
 * never the service's problem document.
 */
export async function startPublicFrontEnd(
  port: number,
  /** The URLs of the instances running now. */
  instances: () => readonly string[],
): Promise<PublicFrontEnd> {
  const proxy = createProxyServer({ xfwd: true, proxyTimeout: 60_000 });
  const forwarded = new Map<string, number>();
  let next = 0;
  proxy.on('error', (_error, _req, res) => {
    if ('writeHead' in res && !res.headersSent) {
      page(res, 502, 'The server encountered a temporary error');
    } else {
      res.destroy();
    }
  });
  const server = createServer((req, res) => {
    const running = instances();
    const target = running[next++ % Math.max(running.length, 1)];
    if (target === undefined) {
      page(res, 503, 'Service Unavailable');
      return;
    }
    forwarded.set(target, (forwarded.get(target) ?? 0) + 1);
    proxy.web(req, res, { target });
  });
  const running = await listen(server, port);
  return {
    ...running,
    forwarded: (instance) => forwarded.get(instance) ?? 0,
    close: async () => {
      await running.close();
      proxy.close();
    },
  };
}

/** Cloud Run's own answers are HTML pages. */
function page(res: import('node:http').ServerResponse, status: number, message: string): void {
  res
    .writeHead(status, { 'content-type': 'text/html; charset=UTF-8' })
    .end(`<html><title>Error ${status}</title><h1>${message}</h1></html>`);
}
