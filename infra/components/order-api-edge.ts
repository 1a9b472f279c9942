import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';

export interface OrderApiEdgeArgs {
  region: string;
  /** The Cloud Run service behind the load balancer. */
  service: pulumi.Input<string>;
  /** The API's host name; Google manages its certificate once DNS points at the address. */
  domain: string;
  /** Requests one client address may send in a minute, across every instance. */
  requestsPerMinutePerIp: number;
}

/** Cloud Armor's most permissive priority: the rule that applies when no other does. */
const defaultRulePriority = 2_147_483_647;
const everyAddress = { versionedExpr: 'SRC_IPS_V1', config: { srcIpRanges: ['*'] } };

/**
 * An external Application Load Balancer in front of the order service, with a Cloud Armor
 * policy that limits each client address at Google's edge, before any instance sees the request:
 * the services' own limits are per instance (docs/api.md, "Limits"), this one is not. HTTPS only:
 * an API client that sends a token over plain HTTP has already leaked it, so port 80 is not
 * answered rather than redirected.
 * https://cloud.google.com/armor/docs/rate-limiting-overview,
 * https://cloud.google.com/load-balancing/docs/negs/serverless-neg-concepts
 */
export class OrderApiEdge extends pulumi.ComponentResource {
  /** The address the domain's A record must point at. */
  readonly address: pulumi.Output<string>;
  readonly url: string;

  constructor(name: string, args: OrderApiEdgeArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:OrderApiEdge', name, {}, opts);
    const parent = { parent: this };
    const neg = new gcp.compute.RegionNetworkEndpointGroup(
      `${name}-neg`,
      {
        region: args.region,
        networkEndpointType: 'SERVERLESS',
        cloudRun: { service: args.service },
      },
      parent,
    );
    const policy = new gcp.compute.SecurityPolicy(
      `${name}-armor`,
      {
        description: 'Per-client-address rate limit in front of the order API',
        type: 'CLOUD_ARMOR',
        rules: [
          {
            priority: 1000,
            description: 'Each client address: at most the configured requests a minute',
            action: 'throttle',
            match: everyAddress,
            rateLimitOptions: {
              enforceOnKey: 'IP',
              rateLimitThreshold: { count: args.requestsPerMinutePerIp, intervalSec: 60 },
              conformAction: 'allow',
              exceedAction: 'deny(429)',
            },
          },
          {
            priority: defaultRulePriority,
            description: 'Everything else',
            action: 'allow',
            match: everyAddress,
          },
        ],
      },
      parent,
    );
    const backend = new gcp.compute.BackendService(
      `${name}-backend`,
      {
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        protocol: 'HTTPS',
        backends: [{ group: neg.id }],
        securityPolicy: policy.id,
        // One line per request, with the client address and Cloud Armor's decision.
        logConfig: { enable: true, sampleRate: 1 },
      },
      parent,
    );
    const urlMap = new gcp.compute.URLMap(`${name}-urls`, { defaultService: backend.id }, parent);
    const certificate = new gcp.compute.ManagedSslCertificate(
      `${name}-certificate`,
      { managed: { domains: [args.domain] } },
      parent,
    );
    const tls = new gcp.compute.SSLPolicy(
      `${name}-tls`,
      { profile: 'MODERN', minTlsVersion: 'TLS_1_2' },
      parent,
    );
    const proxy = new gcp.compute.TargetHttpsProxy(
      `${name}-https`,
      { urlMap: urlMap.id, sslCertificates: [certificate.id], sslPolicy: tls.id },
      parent,
    );
    const address = new gcp.compute.GlobalAddress(`${name}-address`, { ipVersion: 'IPV4' }, parent);
    new gcp.compute.GlobalForwardingRule(
      `${name}-https`,
      {
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        target: proxy.id,
        ipAddress: address.address,
        portRange: '443',
      },
      parent,
    );
    this.address = address.address;
    this.url = `https://${args.domain}`;
    this.registerOutputs({ address: this.address, url: this.url });
  }
}
