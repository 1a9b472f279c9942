import type { RequestHandler } from 'express';

/**
 * The console acts with the operator's credentials, so only its own page may use it. A Host
 * other than the loopback address it listens on is refused (DNS rebinding), and so is any
 * request that changes something without coming from the console's own origin (another site
 * posting a form to it).
 */
export function sameOriginOnly(port: number): RequestHandler {
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  return (req, res, next) => {
    const host = req.headers.host ?? '';
    if (!hosts.has(host)) {
      res.status(421).type('text').send(`the console answers on 127.0.0.1:${port} only`);
      return;
    }
    const safe = req.method === 'GET' || req.method === 'HEAD';
    if (!safe && req.headers.origin !== `http://${host}`) {
      res.status(403).type('text').send('only the console page itself may do that');
      return;
    }
    next();
  };
}
