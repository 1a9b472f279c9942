import * as pulumi from '@pulumi/pulumi';
import { planSubscriptions, type ServiceName, type Topology } from '@orderflow/topology';
import { analyticsTables } from '@orderflow/analytics';
import { Alerts } from './components/alerts.js';
import { Analytics } from './components/analytics.js';
import { Apis } from './components/apis.js';
import { CloudRunService } from './components/cloud-run-service.js';
import { EventTopology } from './components/event-topology.js';
import { Firestore } from './components/firestore.js';
import { Identities } from './components/identities.js';
import { OrderApiEdge } from './components/order-api-edge.js';
import { OutboxRelay } from './components/outbox-relay.js';
import { Registry } from './components/registry.js';
import { Secrets } from './components/secrets.js';
import { Telemetry } from './components/telemetry.js';
import {
  audienceOf,
  environmentOf,
  isSubscriber,
  outboxes,
  requestTimeoutSecondsOf,
  scheduled,
  schedulerAttemptDeadlineSeconds,
  secretReaders,
  serviceNames,
  services,
  sweeps,
} from './services.js';
import type { Settings } from './settings.js';

const requiredApis = [
  'cloudresourcemanager.googleapis.com',
  'iam.googleapis.com',
  'artifactregistry.googleapis.com',
  'cloudbuild.googleapis.com',
  'run.googleapis.com',
  'pubsub.googleapis.com',
  'firestore.googleapis.com',
  'cloudscheduler.googleapis.com',
  'secretmanager.googleapis.com',
  'monitoring.googleapis.com',
  // OTLP export; traces are kept only while the Cloud Trace API is on:
  // https://docs.cloud.google.com/stackdriver/docs/reference/telemetry/v1.traces
  'telemetry.googleapis.com',
  'cloudtrace.googleapis.com',
  'bigquery.googleapis.com',
];

/** The BigQuery dataset `npm run analytics` queries in a project. */
export const analyticsDatasetId = 'orderflow_analytics';

/** The whole system, from the topology and the stack's settings. */
export function orderflow(topology: Topology, settings: Settings) {
  const apis = new Apis('apis', {
    // The load balancer and Cloud Armor are Compute Engine resources.
    apis: settings.edge ? [...requiredApis, 'compute.googleapis.com'] : requiredApis,
  });
  const afterApis = { dependsOn: [apis] };

  const registry = new Registry(
    'registry',
    { location: settings.region, repositoryId: 'orderflow', keepRecent: 10 },
    afterApis,
  );
  const identities = new Identities('identities', { services: serviceNames }, afterApis);
  const members = Object.fromEntries(serviceNames.map((s) => [s, identities.of(s).member]));

  const firestore = new Firestore(
    'firestore',
    {
      project: settings.project,
      location: settings.firestoreLocation,
      // The dlq commands reset the subscriber's delivery record before a replay.
      users: {
        ...members,
        ...Object.fromEntries(settings.operators.map((m) => [m, m])),
      },
      outboxes: outboxes.map((o) => o.collection),
      deletionProtection: settings.deletionProtection,
    },
    afterApis,
  );

  const secrets = new Secrets(
    'secrets',
    {
      values: settings.secrets,
      readers: secretReaders(
        (s) => identities.of(s).member,
        // Operators derive a seller's secret to show it to the seller (`npm run webhook-secret`).
        { 'webhook-master-key': settings.operators },
      ),
    },
    afterApis,
  );

  const telemetry = new Telemetry(
    'telemetry',
    {
      project: settings.project,
      writers: members,
      thresholds: {
        effectLagSeconds: settings.alerts.effectLagSeconds,
        outboxAgeSeconds: settings.alerts.outboxAgeSeconds,
      },
    },
    afterApis,
  );

  const platform = { topology, settings, registry, identities, secrets };
  // The first revision must already be able to read its secrets and its database, and export.
  const afterAccess = { dependsOn: [apis, secrets, firestore, telemetry] };
  const deployed = Object.fromEntries(
    serviceNames.map((name) => [name, cloudRunService(name, platform, afterAccess)]),
  ) as Record<ServiceName, Deployed>;

  const events = new EventTopology(
    'events',
    {
      topology,
      delivery: settings.delivery,
      members,
      endpoints: Object.fromEntries(
        serviceNames.map((s) => [
          s,
          { url: deployed[s].service.url, audience: deployed[s].audience },
        ]),
      ),
      pushIdentity: identities.push,
      operators: settings.operators,
    },
    afterApis,
  );

  // Every call Cloud Scheduler makes: the outbox relays and the sweeps, as the relay's identity.
  for (const call of [...outboxes, ...sweeps]) {
    const target = deployed[call.service];
    new OutboxRelay(
      call.job,
      {
        job: call.job,
        service: call.service,
        ...('description' in call && { description: call.description }),
        region: settings.region,
        schedule: settings.relaySchedule,
        attemptDeadlineSeconds: schedulerAttemptDeadlineSeconds,
        url: pulumi.interpolate`${target.service.url}${call.path}`,
        audience: target.audience,
        serviceAccount: identities.relay.email,
      },
      afterApis,
    );
  }

  const analytics = new Analytics(
    'analytics',
    {
      project: settings.project,
      datasetId: analyticsDatasetId,
      location: settings.analytics.location,
      tables: analyticsTables(topology),
      topics: events.topicIds,
      pubsubAgent: events.pubsubAgent,
      delivery: settings.delivery,
      analysts: settings.analytics.analysts,
      deletionProtection: settings.deletionProtection,
    },
    afterApis,
  );

  new Alerts(
    'alerts',
    {
      email: settings.alerts.email,
      plans: planSubscriptions(topology),
      oldestUnackedAgeSeconds: settings.alerts.oldestUnackedAgeSeconds,
      orderService: deployed.order.service.serviceName,
      orderErrorRatePercent: settings.alerts.orderErrorRatePercent,
      effectLagSeconds: settings.alerts.effectLagSeconds,
      outboxAgeSeconds: settings.alerts.outboxAgeSeconds,
    },
    afterApis,
  );

  const edge =
    settings.edge &&
    new OrderApiEdge(
      'order-api-edge',
      { region: settings.region, service: deployed.order.service.serviceName, ...settings.edge },
      afterApis,
    );

  return {
    orderApiUrl: edge ? pulumi.output(edge.url) : deployed.order.service.url,
    /** Where the API domain's A record points, with Cloud Armor on. */
    orderApiAddress: edge?.address,
    imageRepository: registry.url,
    topics: events.topics,
    subscriptions: events.routes,
    analyticsDataset: analytics.datasetId,
  };
}

interface Deployed {
  service: CloudRunService;
  audience: string;
}

interface Platform {
  topology: Topology;
  settings: Settings;
  registry: Registry;
  identities: Identities;
  secrets: Secrets;
}

function cloudRunService(
  name: ServiceName,
  { topology, settings, registry, identities, secrets }: Platform,
  opts: pulumi.ComponentResourceOptions,
): Deployed {
  const audience = audienceOf(settings, name);
  const spec = services[name];
  const subscriber = isSubscriber(topology, name);
  const requestTimeoutSeconds = requestTimeoutSecondsOf(name, topology, settings);
  const service = new CloudRunService(
    name,
    {
      region: settings.region,
      image: registry.image(name, settings.imageTag),
      serviceAccount: identities.of(name).email,
      audience,
      env: environmentOf(name, topology, {
        settings,
        audience,
        pushIdentity: identities.push.email,
        relayIdentity: identities.relay.email,
        requestTimeoutSeconds,
      }),
      secretEnv: Object.fromEntries(
        Object.entries(spec.secrets).map(([env, secret]) => [env, secrets.ref(secret)]),
      ),
      // A public service (the order API) checks the relay's caller itself (RELAY_AUTH).
      access: spec.public
        ? { public: true, behindLoadBalancer: settings.edge !== undefined }
        : {
            public: false,
            invokers: [
              ...(subscriber ? [identities.push.member] : []),
              ...(scheduled(name) ? [identities.relay.member] : []),
            ],
          },
      container: {
        ...settings.container,
        requestTimeoutSeconds,
        ...(subscriber ? {} : settings.orderInstances),
      },
      deletionProtection: settings.deletionProtection,
    },
    opts,
  );
  return { service, audience };
}
