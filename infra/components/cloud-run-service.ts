import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ContainerSettings } from '../settings.js';
import type { SecretRef } from './secrets.js';

export interface CloudRunServiceArgs {
  region: string;
  image: pulumi.Input<string>;
  serviceAccount: pulumi.Input<string>;
  /** Accepted in callers' OIDC tokens besides the service URL. */
  audience: string;
  env: Readonly<Record<string, pulumi.Input<string>>>;
  secretEnv: Readonly<Record<string, SecretRef>>;
  /**
   * `public`: anyone may call it, with Cloud Run's invoker IAM check turned off rather than a
   * grant to `allUsers`, which domain-restricted sharing (secure by default in organisations
   * created since May 2024) refuses: https://cloud.google.com/run/docs/authenticating/public.
   * `behindLoadBalancer`: reachable from the internet only through a Google Cloud load balancer.
   * Otherwise the only members allowed to call it (`roles/run.invoker`), from this project only.
   */
  access:
    | { public: true; behindLoadBalancer: boolean }
    | { public: false; invokers: readonly pulumi.Input<string>[] };
  container: ContainerSettings;
  deletionProtection: boolean;
}

const containerPort = 8080;

/**
 * A private service is called only by Pub/Sub in this project, which Cloud Run counts as internal
 * traffic, as it does Cloud Scheduler calling the relay of a service behind a load balancer:
 * https://cloud.google.com/run/docs/securing/ingress#settings.
 */
function ingressOf(access: CloudRunServiceArgs['access']): string {
  if (!access.public) return 'INGRESS_TRAFFIC_INTERNAL_ONLY';
  return access.behindLoadBalancer
    ? 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER'
    : 'INGRESS_TRAFFIC_ALL';
}

/** A Cloud Run (v2) service running one container of the monorepo, and who may invoke it. */
export class CloudRunService extends pulumi.ComponentResource {
  readonly url: pulumi.Output<string>;
  readonly serviceName: pulumi.Output<string>;

  constructor(name: string, args: CloudRunServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:CloudRunService', name, {}, opts);
    const { container } = args;
    const service = new gcp.cloudrunv2.Service(
      `${name}-service`,
      {
        name,
        location: args.region,
        ingress: ingressOf(args.access),
        invokerIamDisabled: args.access.public,
        customAudiences: [args.audience],
        deletionProtection: args.deletionProtection,
        labels: { app: 'orderflow', service: name },
        template: {
          serviceAccount: args.serviceAccount,
          maxInstanceRequestConcurrency: container.concurrency,
          timeout: `${container.requestTimeoutSeconds}s`,
          scaling: {
            minInstanceCount: container.minInstances,
            maxInstanceCount: container.maxInstances,
          },
          containers: [
            {
              image: args.image,
              ports: { containerPort },
              resources: {
                limits: { cpu: container.cpu, memory: container.memory },
                cpuIdle: true,
                startupCpuBoost: true,
              },
              envs: [
                ...Object.entries(args.env).map(([envName, value]) => ({ name: envName, value })),
                ...Object.entries(args.secretEnv).map(([envName, ref]) => ({
                  name: envName,
                  valueSource: { secretKeyRef: { secret: ref.secret, version: ref.version } },
                })),
              ],
              startupProbe: {
                httpGet: { path: '/healthz', port: containerPort },
                periodSeconds: 1,
                timeoutSeconds: 1,
                failureThreshold: 30,
              },
            },
          ],
        },
      },
      { parent: this },
    );

    if (!args.access.public) {
      // Authoritative for the role: a member granted outside this program is removed.
      new gcp.cloudrunv2.ServiceIamBinding(
        `${name}-invokers`,
        {
          name: service.name,
          location: service.location,
          role: 'roles/run.invoker',
          members: [...args.access.invokers],
        },
        { parent: this },
      );
    }

    this.url = service.uri;
    this.serviceName = service.name;
    this.registerOutputs({ url: this.url, serviceName: this.serviceName });
  }
}
