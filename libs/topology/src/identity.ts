import type { ServiceName } from './topology.js';

/**
 * The audience a caller of `service` puts in its OIDC token. A custom audience rather than the
 * service URL: the service must know its audience before Cloud Run has assigned the URL, and
 * the URL would make the service depend on itself.
 */
export function serviceAudience(project: string, service: ServiceName): string {
  return `https://${service}.${project}.orderflow.internal`;
}

/** The service account id Pub/Sub pushes as, in every project. */
export const pushIdentityId = 'orderflow-pubsub-push';

export const serviceAccountEmail = (project: string, accountId: string) =>
  `${accountId}@${project}.iam.gserviceaccount.com`;

/** The service account id Cloud Scheduler calls the outbox relay as. */
export const relayIdentityId = 'orderflow-scheduler';
