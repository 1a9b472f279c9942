import { createServer } from 'node:http';
import * as z from 'zod';
import { jsonOrUndefined, listen, readBody, sendJson, type RunningServer } from '../http.js';
import type { AnalyticsDatabase } from './database.js';

const queryRequest = z.object({ sql: z.string().min(1) });

/**
 * The local stand-in for BigQuery's query API: `POST /query` with `{"sql": "…"}` answers
 * `{"rows": […]}`, or 400 with the database's error. The local system holds the DuckDB file
 * (one process may write it), so `npm run analytics` asks it rather than opening the file.
 */
export async function startAnalyticsServer(
  port: number,
  database: AnalyticsDatabase,
): Promise<RunningServer> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/query') {
      sendJson(res, 404, { error: 'only POST /query' });
      return;
    }
    void readBody(req).then(async (body) => {
      const request = queryRequest.safeParse(jsonOrUndefined(body));
      if (!request.success) {
        sendJson(res, 400, { error: 'expected {"sql": "<SQL>"}' });
        return;
      }
      await database.query(request.data.sql).then(
        (rows) => sendJson(res, 200, { rows }),
        (error: unknown) =>
          sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) }),
      );
    });
  });
  return listen(server, port);
}
