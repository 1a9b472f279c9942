import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname } from 'node:path';
import { otlpTraceRequest, spanRecords } from '../shared/traces.js';
import { jsonOrUndefined, listen, readBody, sendJson, type RunningServer } from './http.js';

/**
 * Stands in for Google's Telemetry API: an OTLP/HTTP (JSON) receiver at `POST /v1/traces`
 * that appends every span to `file`, one JSON object a line, for `npm run trace` to read.
 * The services export exactly as in production; only the URL differs. The store starts empty.
 */
export async function startTraceCollector(port: number, file: string): Promise<RunningServer> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, '');
  // One append at a time keeps every line whole.
  let writing = Promise.resolve();
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/v1/traces') {
      sendJson(res, 404, { error: 'only POST /v1/traces' });
      return;
    }
    void readBody(req).then(async (body) => {
      const parsed = otlpTraceRequest.safeParse(jsonOrUndefined(body));
      if (!parsed.success) {
        sendJson(res, 400, { error: 'not an OTLP/JSON trace export' });
        return;
      }
      const lines = spanRecords(parsed.data).map((span) => `${JSON.stringify(span)}\n`);
      const appended = writing.then(() => appendFile(file, lines.join('')));
      writing = appended.catch(() => undefined);
      // A failed write is answered 500: the exporter drops the batch and says so in its log.
      await appended.then(
        () => sendJson(res, 200, {}),
        (error: unknown) => sendJson(res, 500, { error: String(error) }),
      );
    });
  });
  return listen(server, port);
}
