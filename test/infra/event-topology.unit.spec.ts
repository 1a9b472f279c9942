import { expect } from 'chai';
import { planSubscriptions, topology, type Topology } from '@orderflow/topology';
import { runProgram, runStack } from './fixture.js';
import { pubsubAgentEmail, type Declarations } from './mocks.js';
import { expectRoutesOf, grants } from './routes.js';
import { memberOf, pushAccountId } from './views.js';

const production = topology.delivery.production;

describe('infra: the event topology', () => {
  let declared: Declarations;
  before(async () => {
    ({ declared } = await runProgram());
  });

  it('turns each subscriber into its route, with OIDC, retries and dead-lettering', () => {
    expectRoutesOf(declared, topology, production);
  });

  it('lets Pub/Sub mint OIDC tokens as the push identity', () => {
    const tokenCreators = declared
      .ofType('gcp:serviceaccount/iAMMember:IAMMember')
      .filter((g) => g.inputs.role === 'roles/iam.serviceAccountTokenCreator');
    expect(tokenCreators.map((g) => [g.inputs.serviceAccountId, g.inputs.member])).to.deep.equal([
      [
        declared.one('gcp:serviceaccount/account:Account', 'accountId', pushAccountId).state.name,
        `serviceAccount:${pubsubAgentEmail}`,
      ],
    ]);
  });

  it('lets only the publishing service publish to a topic', () => {
    for (const spec of topology.topics) {
      expect(grants(declared, 'gcp:pubsub/topicIAMMember:TopicIAMMember', spec.name)).to.deep.equal(
        [
          {
            role: 'roles/pubsub.publisher',
            member: memberOf(declared, `orderflow-${spec.publisher}`),
          },
        ],
      );
    }
  });

  it('lets each subscriber publish to its own dead-letter topics and the topics it publishes, no other', () => {
    const plans = planSubscriptions(topology);
    for (const service of new Set(plans.map((p) => p.service))) {
      const member = memberOf(declared, `orderflow-${service}`);
      const topics = declared
        .ofType('gcp:pubsub/topicIAMMember:TopicIAMMember')
        .filter((g) => g.inputs.member === member)
        .map((g) => [g.inputs.role, g.inputs.topic]);
      expect(topics, service).to.have.deep.members([
        ...plans
          .filter((p) => p.service === service)
          .map((p) => ['roles/pubsub.publisher', p.deadLetterTopic]),
        ...topology.topics
          .filter((t) => t.publisher === service)
          .map((t) => ['roles/pubsub.publisher', t.name]),
      ]);
    }
  });

  it('lets the operators replay to one subscriber, nothing more (dead letters are in Firestore)', () => {
    const operator = 'group:platform@acme.example';
    const held = [
      ...declared.ofType('gcp:pubsub/topicIAMMember:TopicIAMMember'),
      ...declared.ofType('gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember'),
    ]
      .filter((g) => g.inputs.member === operator)
      .map((g) => [g.inputs.role, 'topic' in g.inputs ? g.inputs.topic : g.inputs.subscription]);
    expect(held).to.have.deep.members(
      topology.subscribers.map((s) => ['roles/pubsub.publisher', `${s.topic}.${s.name}.replay`]),
    );
  });
});

describe('infra: a subscriber added to the topology', () => {
  const grown: Topology = {
    ...topology,
    subscribers: [
      ...topology.subscribers,
      {
        name: 'fraud-screening',
        service: 'segmentation',
        topic: 'order-placed.v1',
        pushPath: '/pubsub/fraud-screening',
      },
    ],
  };

  it('gets its route without any change to the program', async () => {
    const declared = await runStack({}, grown);
    expectRoutesOf(declared, grown, production);
    expect(
      declared.ofType('gcp:monitoring/alertPolicy:AlertPolicy').map((p) => p.name),
    ).to.include.members([
      'alerts-fraud-screening-dead-letters',
      'alerts-fraud-screening-live-oldest-unacked',
      'alerts-fraud-screening-replay-oldest-unacked',
    ]);
  });
});
