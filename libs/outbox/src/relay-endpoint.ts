import type { RequestHandler, Router } from 'express';
import * as z from 'zod';
import { express, oidcCallerConfig } from '@orderflow/platform';
import { defaultRelaySettings, relayOutbox, type RelayDeps, type RelaySettings } from './relay.js';

export const relayPath = '/internal/outbox/relay';

/**
 * The relay settings of a service that publishes through an outbox. `RELAY_AUTH` names who may
 * call the endpoint: Cloud Scheduler's identity, in one of `modes`; locally no one.
 */
export function relayConfig(modes: Parameters<typeof oidcCallerConfig>[1]) {
  return z.intersection(
    z.object({
      /** Runs the relay in-process this often; in production Cloud Scheduler calls it instead. */
      RELAY_INTERVAL_MS: z.coerce.number().int().positive().optional(),
      RELAY_GRACE_MS: z.coerce.number().int().nonnegative().default(defaultRelaySettings.graceMs),
      /** How long a pass publishes: `RelaySettings.passMs`, below the caller's deadline. */
      RELAY_PASS_MS: z.coerce.number().int().positive().default(defaultRelaySettings.passMs),
      /** `RelaySettings.setAsideAfterMs`, in hours. */
      RELAY_SET_ASIDE_AFTER_HOURS: z.coerce
        .number()
        .positive()
        .default(defaultRelaySettings.setAsideAfterMs / hourMs),
    }),
    oidcCallerConfig('RELAY_AUTH', modes),
  );
}

const hourMs = 60 * 60 * 1000;

/** The relay's settings from a service's parsed `relayConfig`. */
export function relaySettingsOf(
  config: Pick<
    z.infer<ReturnType<typeof relayConfig>>,
    'RELAY_GRACE_MS' | 'RELAY_PASS_MS' | 'RELAY_SET_ASIDE_AFTER_HOURS'
  >,
): RelaySettings {
  return {
    ...defaultRelaySettings,
    graceMs: config.RELAY_GRACE_MS,
    passMs: config.RELAY_PASS_MS,
    setAsideAfterMs: config.RELAY_SET_ASIDE_AFTER_HOURS * hourMs,
  };
}

export interface RelayEndpointDeps extends RelayDeps {
  relay: RelaySettings;
  /** Admits only the scheduler; absent when the configuration turns it off. */
  relayAuth?: RequestHandler | undefined;
}

/**
 * `POST /internal/outbox/relay`, which Cloud Scheduler calls: answered when the pass ends, not
 * before (Cloud Run throttles the CPU of an instance once its response is sent). The pass's own
 * time bounds it, so a service mounts it outside any shorter deadline of its public requests.
 */
export function relayEndpoint(deps: RelayEndpointDeps): Router {
  const caller: RequestHandler = deps.relayAuth ?? ((_req, _res, next) => next());
  return express.Router().post(relayPath, caller, async (_req, res) => {
    const report = await relayOutbox(deps, deps.relay);
    // A failure shows in Cloud Scheduler's job status, and the next run tries again.
    res.status(report.failed ? 503 : 200).json(report);
  });
}
