import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

export interface ApisArgs {
  apis: readonly string[];
}

/** Enables the Google APIs the system uses; everything else depends on this component. */
export class Apis extends pulumi.ComponentResource {
  constructor(name: string, args: ApisArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:Apis', name, {}, opts);
    for (const api of args.apis) {
      new gcp.projects.Service(
        `${name}-${api.split('.')[0] ?? api}`,
        // Turning an API off on `pulumi destroy` could break whatever else lives in the project.
        { service: api, disableOnDestroy: false },
        { parent: this },
      );
    }
    this.registerOutputs({});
  }
}
