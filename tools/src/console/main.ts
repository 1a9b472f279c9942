import { join } from 'node:path';
import * as z from 'zod';
import { loadConfig, port } from '@orderflow/platform';
import { target } from '../cli/target.js';
import { startConsole } from './server.js';

/**
 * `npm run -s console`: the console for the project that the operator commands act on, with
 * the operator's application-default credentials, on 127.0.0.1 only. Against the emulators
 * (a `demo-` project) it also shows the switches of the local webhook stand-in, and the traces
 * of the local span store `npm start` fills.
 */
const config = loadConfig(z.object({ CONSOLE_PORT: port(8088), WEBHOOK_SINK_PORT: port(8026) }));
const gcp = target();
const local = gcp.GOOGLE_CLOUD_PROJECT.startsWith('demo-');
const server = await startConsole({
  gcp,
  port: config.CONSOLE_PORT,
  ...(local
    ? {
        webhookSinkUrl: `http://127.0.0.1:${config.WEBHOOK_SINK_PORT}`,
        traceFile: join(import.meta.dirname, '../../../.local/traces.ndjson'),
      }
    : {}),
});
process.stdout.write(`console for ${gcp.GOOGLE_CLOUD_PROJECT} at ${server.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void server.close().then(() => process.exit(0)));
}
