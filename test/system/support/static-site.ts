import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { listen } from '@orderflow/tools/local/http';

export interface StaticPage {
  /** The page's origin as a browser names it. */
  origin: string;
  close(): Promise<void>;
}

/** Serves one HTML file at `/` from its own origin, as a shop's web server would. */
export async function servePage(file: string, port: number): Promise<StaticPage> {
  const html = await readFile(file);
  const server = createServer((req, res) => {
    if (req.url !== '/') res.writeHead(404).end();
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  const running = await listen(server, port);
  return { origin: `http://localhost:${port}`, close: () => running.close() };
}
