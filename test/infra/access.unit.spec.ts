import { expect } from 'chai';
import { topology } from '@orderflow/topology';
import { runProgram } from './fixture.js';
import { project, type Declarations } from './mocks.js';
import {
  cloudRun,
  emailOf,
  invokersOf,
  memberOf,
  plainEnv,
  pushAccountId,
  relayAccountId,
  urlOf,
} from './views.js';

const subscriberServices = [...new Set(topology.subscribers.map((s) => s.service))];
const publicMembers = ['allUsers', 'allAuthenticatedUsers'];

/** Every IAM grant the program declares, whatever it is granted on. */
function everyGrant(declared: Declarations) {
  return declared.all.flatMap((r) => {
    const { role, member, members } = r.inputs as {
      role?: unknown;
      member?: unknown;
      members?: unknown;
    };
    if (typeof role !== 'string') return [];
    const who = Array.isArray(members) ? members.map(String) : [String(member)];
    return who.map((m) => ({ resource: r.name, type: r.type, role, member: m }));
  });
}

describe('infra: who may do what', () => {
  let declared: Declarations;
  before(async () => {
    ({ declared } = await runProgram());
  });

  it('grants no primitive role, to anyone, on anything', () => {
    const grants = everyGrant(declared);
    expect(grants).to.not.be.empty;
    for (const grant of grants) {
      expect(grant.role, grant.resource).to.not.be.oneOf([
        'roles/owner',
        'roles/editor',
        'roles/viewer',
      ]);
    }
  });

  it('lets no one but the push identity, and the scheduler (relays, sweeps, reconcilers), invoke a subscriber', () => {
    expect(subscriberServices).to.not.be.empty;
    for (const service of subscriberServices) {
      expect(invokersOf(declared, service), service).to.deep.equal([
        memberOf(declared, pushAccountId),
        memberOf(declared, relayAccountId),
      ]);
    }
  });

  it('makes nothing public but the order API, without a grant domain-restricted sharing refuses', () => {
    expect(everyGrant(declared).filter((g) => publicMembers.includes(g.member))).to.deep.equal([]);
    const disabled = ['order', ...subscriberServices].map((s) => [
      s,
      cloudRun(declared, s).inputs.invokerIamDisabled,
    ]);
    expect(disabled).to.deep.equal([['order', true], ...subscriberServices.map((s) => [s, false])]);
    expect(invokersOf(declared, 'order')).to.deep.equal([]);
  });

  it('lets only internal traffic (Pub/Sub of this project) reach a subscriber', () => {
    const ingress = ['order', ...subscriberServices].map((s) => [
      s,
      cloudRun(declared, s).inputs.ingress,
    ]);
    expect(ingress).to.deep.equal([
      ['order', 'INGRESS_TRAFFIC_ALL'],
      ...subscriberServices.map((s) => [s, 'INGRESS_TRAFFIC_INTERNAL_ONLY']),
    ]);
  });

  it("gives every service its own identity; project-wide, only Firestore access, telemetry export and the analysts' queries", () => {
    for (const service of ['order', 'notification', 'seller', 'segmentation']) {
      const run = declared.one('gcp:cloudrunv2/service:Service', 'name', service);
      expect(run.inputs.template.serviceAccount).to.equal(
        emailOf(declared, `orderflow-${service}`),
      );
    }
    const grants = declared.ofType('gcp:projects/iAMMember:IAMMember');
    const [firestore, others] = [
      grants.filter((g) => g.inputs.role === 'roles/datastore.user'),
      grants.filter((g) => g.inputs.role !== 'roles/datastore.user'),
    ];
    for (const grant of firestore) {
      expect(grant.inputs.condition?.expression, grant.name).to.equal(
        `resource.name == "projects/${project}/databases/(default)"`,
      );
    }
    expect(firestore.map((g) => g.inputs.member)).to.have.members([
      ...['order', 'notification', 'seller', 'segmentation'].map((s) =>
        memberOf(declared, `orderflow-${s}`),
      ),
      // The operators: the dlq commands reset delivery records in Firestore.
      'group:platform@acme.example',
    ]);
    // Writing spans and metric points reads nothing; the rest is in the telemetry spec.
    expect([...new Set(others.map((g) => g.inputs.role))]).to.have.members([
      'roles/telemetry.tracesWriter',
      'roles/monitoring.metricWriter',
      'roles/bigquery.jobUser',
    ]);
    // Running queries is all the analysts may do project-wide; what they read is the dataset.
    expect(
      others.filter((g) => g.inputs.role === 'roles/bigquery.jobUser').map((g) => g.inputs.member),
    ).to.deep.equal(['group:analysts@acme.example']);
  });

  // The order service is public and verifies the token itself (no invoker grant); Cloud Run
  // checks it for segmentation, which grants the relay's identity the invoker role.
  for (const [service, job, mode, relayInvokes] of [
    ['order', 'outbox-relay', 'oidc', false],
    ['segmentation', 'segmentation-outbox-relay', 'cloud-run', true],
  ] as const) {
    it(`has Cloud Scheduler call the ${service} outbox relay with an OIDC token the service checks`, () => {
      const declaredJob = declared.one('gcp:cloudscheduler/job:Job', 'name', job);
      expect(declaredJob.inputs.httpTarget).to.deep.equal({
        uri: `${urlOf(declared, service)}/internal/outbox/relay`,
        httpMethod: 'POST',
        oidcToken: {
          serviceAccountEmail: emailOf(declared, relayAccountId),
          audience: plainEnv(declared, service, 'RELAY_AUTH_AUDIENCE'),
        },
      });
      expect(plainEnv(declared, service, 'RELAY_AUTH')).to.equal(mode);
      expect(plainEnv(declared, service, 'RELAY_AUTH_SERVICE_ACCOUNT')).to.equal(
        emailOf(declared, relayAccountId),
      );
      const invokers = invokersOf(declared, service);
      if (relayInvokes) expect(invokers).to.include(memberOf(declared, relayAccountId));
      else expect(invokers).to.deep.equal([]);
    });
  }

  it('has Cloud Scheduler call the seller sweep with an OIDC token Cloud Run checks', () => {
    const declaredJob = declared.one('gcp:cloudscheduler/job:Job', 'name', 'seller-parts-retry');
    expect(declaredJob.inputs.httpTarget).to.deep.equal({
      uri: `${urlOf(declared, 'seller')}/internal/parts/retry`,
      httpMethod: 'POST',
      oidcToken: {
        serviceAccountEmail: emailOf(declared, relayAccountId),
        audience: plainEnv(declared, 'seller', 'SWEEP_AUTH_AUDIENCE'),
      },
    });
    expect(plainEnv(declared, 'seller', 'SWEEP_AUTH')).to.equal('cloud-run');
    expect(plainEnv(declared, 'seller', 'SWEEP_AUTH_SERVICE_ACCOUNT')).to.equal(
      emailOf(declared, relayAccountId),
    );
    expect(invokersOf(declared, 'seller')).to.include(memberOf(declared, relayAccountId));
  });

  it('has every subscriber check the token Cloud Run forwards: its audience, the push identity', () => {
    for (const service of subscriberServices) {
      expect(plainEnv(declared, service, 'PUSH_AUTH'), service).to.equal('cloud-run');
      expect(plainEnv(declared, service, 'PUSH_AUTH_SERVICE_ACCOUNT'), service).to.equal(
        emailOf(declared, pushAccountId),
      );
      expect(plainEnv(declared, service, 'MAX_DELIVERY_ATTEMPTS'), service).to.equal(
        String(topology.delivery.production.maxDeliveryAttempts),
      );
    }
  });
});
