import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

export interface SecretRef {
  secret: pulumi.Output<string>;
  version: pulumi.Output<string>;
}

export interface SecretsArgs {
  /** Secret values from the stack's encrypted configuration, by secret id. */
  values: Readonly<Record<string, pulumi.Input<string>>>;
  /** Who may read each secret, by secret id, as IAM members keyed by a name for the grant. */
  readers: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string>>>>>;
}

/** Secret Manager secrets, each readable only by the identities listed for it. */
export class Secrets extends pulumi.ComponentResource {
  private readonly refs = new Map<string, SecretRef>();

  constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:Secrets', name, {}, opts);
    const unknown = Object.keys(args.readers).filter((id) => !(id in args.values));
    if (unknown.length > 0) throw new Error(`readers of unknown secrets: ${unknown.join(', ')}`);
    for (const [id, value] of Object.entries(args.values)) {
      const secret = new gcp.secretmanager.Secret(
        `${name}-${id}`,
        { secretId: id, replication: { auto: {} } },
        { parent: this },
      );
      const version = new gcp.secretmanager.SecretVersion(
        `${name}-${id}-version`,
        { secret: secret.id, secretData: value },
        { parent: this },
      );
      for (const [reader, member] of Object.entries(args.readers[id] ?? {})) {
        new gcp.secretmanager.SecretIamMember(
          `${name}-${id}-${reader}`,
          { secretId: secret.id, role: 'roles/secretmanager.secretAccessor', member },
          { parent: this },
        );
      }
      // A pinned version: a new value rolls out as a new Cloud Run revision.
      this.refs.set(id, { secret: secret.secretId, version: version.version });
    }
    this.registerOutputs({});
  }

  ref(id: string): SecretRef {
    const ref = this.refs.get(id);
    if (!ref) throw new Error(`no secret ${id}`);
    return ref;
  }
}
