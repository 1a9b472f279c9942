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
      RELAY_INTERVAL_MS: z.coerce
        .number()
        .int()
        .positive()
        .optional()
        .describe(
          'Local only: run the relay in-process this often; Cloud Scheduler calls it on Google Cloud.',
        ),
      RELAY_GRACE_MS: z.coerce
        .number()
        .int()
        .nonnegative()
        .default(defaultRelaySettings.graceMs)
        .describe(
          'How old an unpublished entry must be before the relay takes it from its request.',
        ),
      RELAY_PASS_MS: z.coerce
        .number()
        .int()
        .positive()
        .default(defaultRelaySettings.passMs)
        .describe(
          "How long a relay pass publishes: below the caller's deadline (Cloud Run's request timeout, Cloud Scheduler's attempt deadline).",
        ),
      RELAY_SET_ASIDE_AFTER_HOURS: z.coerce
        .number()
        .positive()
        .default(defaultRelaySettings.setAsideAfterMs / hourMs)
        .describe(
          'How long an event whose own publishes keep failing (never an outage) stays in the outbox before it is set aside for an operator.',
        ),
    }),
    oidcCallerConfig('RELAY_AUTH', modes, `POST ${relayPath} (Cloud Scheduler)`),
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
