import { expect } from 'chai';
import { topology } from '@orderflow/topology';
import { runProgram, runStackWithOutputs } from './fixture.js';
import { edgeAddress, type Declarations } from './mocks.js';
import { cloudRun, envOf, urlOf } from './views.js';

const subscriberServices = [...new Set(topology.subscribers.map((s) => s.service))];
const ingressOf = (declared: Declarations, service: string) =>
  cloudRun(declared, service).inputs.ingress;

describe('infra: Cloud Armor in front of the order API', () => {
  describe('off, as by default', () => {
    let declared: Declarations;
    let outputs: Awaited<ReturnType<typeof runProgram>>['result'];
    before(async () => {
      ({ declared, result: outputs } = await runProgram());
    });

    it('declares no load balancer and leaves the order service open to all traffic', () => {
      expect(declared.all.filter((r) => r.type.startsWith('gcp:compute/'))).to.deep.equal([]);
      expect(ingressOf(declared, 'order')).to.equal('INGRESS_TRAFFIC_ALL');
      expect(envOf(declared, 'order').has('TRUSTED_PROXY_HOPS')).to.equal(false);
      expect(outputs.orderApiUrl).to.equal(urlOf(declared, 'order'));
      expect(outputs.orderApiAddress).to.equal(undefined);
    });
  });

  describe('on', () => {
    let declared: Declarations;
    let outputs: { orderApiUrl: string; orderApiAddress: string | undefined };
    before(async () => {
      ({ declared, result: outputs } = await runStackWithOutputs({
        cloudArmor: 'true',
        apiDomain: 'api.acme.example',
        cloudArmorRequestsPerMinute: '600',
      }));
    });

    const only = <T>(found: T[]): T => {
      expect(found).to.have.length(1);
      return found[0]!;
    };

    it('limits each client address across all instances, answering 429 over the limit', () => {
      const policy = only(declared.ofType('gcp:compute/securityPolicy:SecurityPolicy'));
      const [limit, fallback, ...more] = [...(policy.inputs.rules ?? [])].sort(
        (a, b) => a.priority - b.priority,
      );
      expect(more).to.deep.equal([]);
      expect(limit).to.deep.include({ action: 'throttle' });
      expect(limit?.match.config?.srcIpRanges).to.deep.equal(['*']);
      expect(limit?.rateLimitOptions).to.deep.equal({
        enforceOnKey: 'IP',
        rateLimitThreshold: { count: 600, intervalSec: 60 },
        conformAction: 'allow',
        exceedAction: 'deny(429)',
      });
      expect(fallback).to.deep.include({ action: 'allow', priority: 2_147_483_647 });
    });

    it('routes HTTPS for the domain, with its managed certificate, through the policy to the order service', () => {
      const neg = only(
        declared.ofType('gcp:compute/regionNetworkEndpointGroup:RegionNetworkEndpointGroup'),
      );
      expect(neg.inputs).to.deep.include({
        region: 'europe-west1',
        networkEndpointType: 'SERVERLESS',
        cloudRun: { service: 'order' },
      });
      const policy = only(declared.ofType('gcp:compute/securityPolicy:SecurityPolicy'));
      const backend = only(declared.ofType('gcp:compute/backendService:BackendService'));
      expect(backend.inputs).to.deep.include({
        loadBalancingScheme: 'EXTERNAL_MANAGED',
        securityPolicy: policy.id,
      });
      expect(backend.inputs.backends?.map((b) => b.group)).to.deep.equal([neg.id]);
      const urlMap = only(declared.ofType('gcp:compute/uRLMap:URLMap'));
      expect(urlMap.inputs.defaultService).to.equal(backend.id);
      const certificate = only(
        declared.ofType('gcp:compute/managedSslCertificate:ManagedSslCertificate'),
      );
      expect(certificate.inputs.managed?.domains).to.deep.equal(['api.acme.example']);
      const tls = only(declared.ofType('gcp:compute/sSLPolicy:SSLPolicy'));
      expect(tls.inputs.minTlsVersion).to.equal('TLS_1_2');
      const proxy = only(declared.ofType('gcp:compute/targetHttpsProxy:TargetHttpsProxy'));
      expect(proxy.inputs).to.deep.include({
        urlMap: urlMap.id,
        sslCertificates: [certificate.id],
        sslPolicy: tls.id,
      });
      // HTTPS only: nothing listens on port 80.
      const rule = only(declared.ofType('gcp:compute/globalForwardingRule:GlobalForwardingRule'));
      expect(rule.inputs).to.deep.include({
        target: proxy.id,
        portRange: '443',
        ipAddress: edgeAddress,
        loadBalancingScheme: 'EXTERNAL_MANAGED',
      });
      expect(
        declared.ofType('gcp:projects/service:Service').map((s) => s.inputs.service),
      ).to.include('compute.googleapis.com');
    });

    it('admits only the load balancer and internal callers to the order service, subscribers unchanged', () => {
      expect(ingressOf(declared, 'order')).to.equal('INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER');
      for (const service of subscriberServices) {
        expect(ingressOf(declared, service), service).to.equal('INGRESS_TRAFFIC_INTERNAL_ONLY');
      }
      // The relay's caller is internal traffic and keeps the run.app URL.
      const job = declared.one('gcp:cloudscheduler/job:Job', 'name', 'outbox-relay');
      expect(job.inputs.httpTarget?.uri).to.equal(
        `${urlOf(declared, 'order')}/internal/outbox/relay`,
      );
    });

    it("takes the client's address one proxy further, and gives clients the domain and its address", () => {
      expect(envOf(declared, 'order').get('TRUSTED_PROXY_HOPS')?.value).to.equal('2');
      expect(outputs).to.deep.equal({
        orderApiUrl: 'https://api.acme.example',
        orderApiAddress: edgeAddress,
      });
    });
  });
});
