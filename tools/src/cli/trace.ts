import { join } from 'node:path';
import { orderTrace, readSpans, waterfall } from '../shared/traces.js';
import { fail, parseCli } from './args.js';

const usage = 'usage: npm run -s trace -- <orderId> [--json] [--file <spans.ndjson>]';
const { positionals, values } = parseCli(
  {
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      file: { type: 'string', default: join(import.meta.dirname, '../../../.local/traces.ndjson') },
    },
  },
  usage,
);
const [orderId] = positionals;
if (!orderId || positionals.length > 1) fail(usage, 2);

// The local span store `npm start` fills; in Google Cloud the same trace is in Cloud Trace.
const trace = orderTrace(await readSpans(values.file), orderId);
if (!trace) fail(`no spans of order ${orderId} in ${values.file}`);
if (values.json) {
  const spans = trace.spans.map(
    ({ traceId, spanId, parentSpanId, service, name, startTime, durationMs, attributes }) => ({
      traceId,
      spanId,
      parentSpanId,
      service,
      name,
      startTime,
      durationMs,
      attributes,
    }),
  );
  process.stdout.write(`${JSON.stringify({ traceId: trace.traceId, spans }, null, 2)}\n`);
} else {
  process.stdout.write(`trace ${trace.traceId}\n${waterfall(trace)}\n`);
}
