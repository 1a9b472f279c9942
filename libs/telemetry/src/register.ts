/**
 * The preload every service starts with, before its own modules are loaded so that the
 * instrumentations can patch http and express: `node --import @orderflow/telemetry/register main.js`.
 * It reads only the telemetry settings; the service's `main.ts` parses its own.
 */
import { loadConfig } from '@orderflow/platform/config';
import { beforeExit } from '@orderflow/platform/server';
import { planSubscriptions, topology } from '@orderflow/topology';
import { telemetryConfig } from './config.js';
import { startTelemetry } from './sdk.js';

const telemetry = startTelemetry(loadConfig(telemetryConfig), {
  // Pushes, live and dead letters alike, continue the order's trace from the message instead.
  untracedPaths: new Set([
    '/healthz',
    ...planSubscriptions(topology).flatMap((p) => [p.pushPath, p.deadLetterPushPath]),
  ]),
});
if (telemetry) beforeExit(() => telemetry.shutdown());
