import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

export interface RegistryArgs {
  location: string;
  repositoryId: string;
  /** How many images of each service to keep; older ones are deleted. */
  keepRecent: number;
}

/** The Artifact Registry repository the service images are pushed to before `pulumi up`. */
export class Registry extends pulumi.ComponentResource {
  /** `<region>-docker.pkg.dev/<project>/<repository>`: where `docker push` sends images. */
  readonly url: pulumi.Output<string>;

  constructor(name: string, args: RegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:Registry', name, {}, opts);
    const repository = new gcp.artifactregistry.Repository(
      `${name}-repository`,
      {
        repositoryId: args.repositoryId,
        location: args.location,
        format: 'DOCKER',
        description: 'Container images of the orderflow services',
        // A tag names one build (the commit); a deployed image can never change under it.
        dockerConfig: { immutableTags: true },
        cleanupPolicyDryRun: false,
        cleanupPolicies: [
          {
            id: 'keep-recent',
            action: 'KEEP',
            mostRecentVersions: { keepCount: args.keepRecent },
          },
          { id: 'delete-old', action: 'DELETE', condition: { olderThan: '2592000s' } },
        ],
      },
      { parent: this },
    );
    this.url = repository.registryUri;
    this.registerOutputs({ url: this.url });
  }

  image(service: string, tag: string): pulumi.Output<string> {
    return pulumi.interpolate`${this.url}/${service}:${tag}`;
  }
}
