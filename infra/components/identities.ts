import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

export interface IdentitiesArgs {
  services: readonly string[];
}

/**
 * One service account per service, plus the identities that call services:
 * Pub/Sub pushes as `push`, Cloud Scheduler triggers the outbox relay as `relay`.
 * Roles are granted where the resource is, by the component that owns it.
 */
export class Identities extends pulumi.ComponentResource {
  readonly push: gcp.serviceaccount.Account;
  readonly relay: gcp.serviceaccount.Account;
  private readonly runtime = new Map<string, gcp.serviceaccount.Account>();

  constructor(name: string, args: IdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:Identities', name, {}, opts);
    for (const service of args.services) {
      this.runtime.set(service, this.account(name, service, `Runs the ${service} service`));
    }
    this.push = this.account(name, 'pubsub-push', 'Pub/Sub pushes to subscribers as this identity');
    this.relay = this.account(
      name,
      'scheduler',
      'Cloud Scheduler triggers the outbox relay as this',
    );
    this.registerOutputs({});
  }

  /** The identity the service runs as. */
  of(service: string): gcp.serviceaccount.Account {
    const account = this.runtime.get(service);
    if (!account) throw new Error(`no service account for ${service}: it is not deployed`);
    return account;
  }

  private account(parent: string, id: string, description: string): gcp.serviceaccount.Account {
    const accountId = `orderflow-${id}`;
    if (accountId.length > 30) {
      throw new Error(`service account id ${accountId} is over 30 characters`);
    }
    return new gcp.serviceaccount.Account(
      `${parent}-${id}`,
      { accountId, displayName: accountId, description },
      { parent: this },
    );
  }
}
