import {
  planSubscriptions,
  pushIdentityId,
  relayIdentityId,
  serviceAccountEmail,
  serviceAudience,
  topology,
  type ServiceName,
} from '@orderflow/topology';
import type { LocalConfig } from './config.js';
import { startGoogleFrontEnd, type GoogleFrontEnd } from './google-front-end.js';
import { createLocalGoogle, type LocalGoogle } from './local-google.js';

/** What the local system runs with `LOCAL_PUSH_AUTH=production`: Google's side, played locally. */
export interface ProductionAuth {
  google: LocalGoogle;
  frontEnd: GoogleFrontEnd;
  /** Pub/Sub pushes as this identity, the subscribers' only invoker. */
  pushIdentity: string;
  /** Cloud Scheduler calls the outbox relays, the seller's sweep and the reconcilers as this identity. */
  relayIdentity: string;
  /** The authentication settings each service gets in production, pointed at the local keys. */
  env(service: ServiceName): Record<string, string>;
}

const subscriberServices = [...new Set(planSubscriptions(topology).map((p) => p.service))];

export async function startProductionAuth(
  config: LocalConfig,
  serviceUrl: (service: ServiceName) => string,
): Promise<ProductionAuth> {
  const project = config.GOOGLE_CLOUD_PROJECT;
  const pushIdentity = serviceAccountEmail(project, pushIdentityId);
  const relayIdentity = serviceAccountEmail(project, relayIdentityId);
  const google = await createLocalGoogle();
  const frontEnd = await startGoogleFrontEnd({
    port: config.GOOGLE_FRONT_END_PORT,
    google,
    pushIdentity,
    services: subscriberServices.map((service) => ({
      service,
      target: serviceUrl(service),
      audience: serviceAudience(project, service),
      // Cloud Scheduler calls every subscriber's reconciler and the seller's sweep, as Pulumi grants it.
      invokers: [pushIdentity, relayIdentity],
    })),
  });
  const jwksUrl = `${frontEnd.url}${google.jwksPath}`;
  return {
    google,
    frontEnd,
    pushIdentity,
    relayIdentity,
    env: (service): Record<string, string> =>
      subscriberServices.includes(service)
        ? {
            PUSH_AUTH: 'cloud-run',
            PUSH_AUTH_AUDIENCE: serviceAudience(project, service),
            PUSH_AUTH_SERVICE_ACCOUNT: pushIdentity,
            PUSH_AUTH_JWKS_URL: jwksUrl,
            RECONCILE_AUTH: 'cloud-run',
            RECONCILE_AUTH_AUDIENCE: serviceAudience(project, service),
            RECONCILE_AUTH_SERVICE_ACCOUNT: relayIdentity,
            RECONCILE_AUTH_JWKS_URL: jwksUrl,
            ...(service === 'seller' && {
              SWEEP_AUTH: 'cloud-run',
              SWEEP_AUTH_AUDIENCE: serviceAudience(project, service),
              SWEEP_AUTH_SERVICE_ACCOUNT: relayIdentity,
              SWEEP_AUTH_JWKS_URL: jwksUrl,
            }),
          }
        : {
            // The order service is public: Cloud Run checks no caller, the relay verifies the token.
            RELAY_AUTH: 'oidc',
            RELAY_AUTH_AUDIENCE: serviceAudience(project, service),
            RELAY_AUTH_SERVICE_ACCOUNT: relayIdentity,
            RELAY_AUTH_JWKS_URL: jwksUrl,
          },
  };
}
