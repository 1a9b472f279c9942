import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

export interface OutboxRelayArgs {
  /** The job's name, and the service whose outbox it relays. */
  job: string;
  service: string;
  region: string;
  /** Cron, in UTC. */
  schedule: string;
  /** The service's relay endpoint. */
  url: pulumi.Input<string>;
  audience: string;
  /** What the job does, for the console; by default the outbox relay's. */
  description?: string;
  /** How long the job waits for the service to answer. */
  attemptDeadlineSeconds: number;
  /** The identity the job calls as; the service accepts only its tokens. */
  serviceAccount: pulumi.Input<string>;
}

/** Cloud Scheduler calls a service's outbox relay (or another sweep) with an OIDC token. */
export class OutboxRelay extends pulumi.ComponentResource {
  constructor(name: string, args: OutboxRelayArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:OutboxRelay', name, {}, opts);
    new gcp.cloudscheduler.Job(
      `${name}-job`,
      {
        name: args.job,
        description:
          args.description ??
          `Publishes the events the ${args.service} service could not publish when it saved them`,
        region: args.region,
        schedule: args.schedule,
        timeZone: 'Etc/UTC',
        attemptDeadline: `${args.attemptDeadlineSeconds}s`,
        // The next run retries anyway.
        retryConfig: { retryCount: 0 },
        httpTarget: {
          uri: args.url,
          httpMethod: 'POST',
          oidcToken: { serviceAccountEmail: args.serviceAccount, audience: args.audience },
        },
      },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
