import { expect } from 'chai';
import * as pulumi from '@pulumi/pulumi';
import { topology } from '@orderflow/topology';
import { problemsWith, type Settings } from '../../infra/settings.js';

const valid: Settings = {
  project: 'acme-orders',
  region: 'europe-west1',
  firestoreLocation: 'eur3',
  imageTag: '3f9c2ab',
  logLevel: 'info',
  delivery: topology.delivery.production,
  container: {
    cpu: '1',
    memory: '512Mi',
    concurrency: 80,
    requestTimeoutSeconds: 30,
    minInstances: 0,
    maxInstances: 10,
  },
  orderInstances: { minInstances: 0, maxInstances: 10 },
  auth: {
    issuer: 'https://issuer.example',
    audience: 'acme-orders',
    jwksUrl: 'https://keys.example',
  },
  publishTimeoutMs: 1500,
  corsOrigins: ['https://shop.acme.example'],
  webhookTimeoutMs: 5000,
  mailFrom: 'orders@acme.example',
  relaySchedule: '* * * * *',
  telemetry: { traceSamplePercent: 100, metricsExportIntervalMs: 60_000 },
  alerts: {
    email: 'oncall@acme.example',
    oldestUnackedAgeSeconds: 600,
    orderErrorRatePercent: 5,
    effectLagSeconds: 300,
    outboxAgeSeconds: 300,
  },
  operators: ['group:platform@acme.example'],
  analytics: { location: 'EU', analysts: ['group:analysts@acme.example'] },
  deletionProtection: true,
  secrets: {
    'smtp-url': pulumi.output('smtp://x'),
    'webhook-master-key': pulumi.output('whsec_x'),
  },
};

describe('infra: stack settings', () => {
  it('accepts the example stack, with or without Cloud Armor', () => {
    expect(problemsWith(valid)).to.deep.equal([]);
    const edge = { domain: 'api.acme.example', requestsPerMinutePerIp: 1200 };
    expect(problemsWith({ ...valid, edge })).to.deep.equal([]);
  });

  it('lists every problem at once, each by its config key', () => {
    const problems = problemsWith({
      ...valid,
      delivery: {
        ackDeadlineSeconds: 5,
        minBackoffSeconds: 30,
        maxBackoffSeconds: 20,
        maxDeliveryAttempts: 3,
      },
      container: { ...valid.container, minInstances: 4, maxInstances: 2 },
      orderInstances: { minInstances: 3, maxInstances: 0 },
      operators: ['platform@acme.example'],
      analytics: { location: 'EU', analysts: ['analysts@acme.example'] },
      corsOrigins: ['https://shop.acme.example/', 'http://shop.acme.example'],
      telemetry: { traceSamplePercent: 150, metricsExportIntervalMs: 1000 },
      edge: { domain: 'https://api.acme.example', requestsPerMinutePerIp: 0 },
    });
    expect(problems).to.have.length(13);
    for (const key of [
      'ackDeadlineSeconds',
      'maxBackoffSeconds',
      'maxDeliveryAttempts',
      'maxInstances',
      'orderMaxInstances',
      'operators',
      'analysts',
      'corsOrigins',
      'traceSamplePercent',
      'metricsExportIntervalMs',
      'apiDomain',
      'cloudArmorRequestsPerMinute',
    ]) {
      expect(
        problems.some((p) => p.startsWith(key)),
        key,
      ).to.be.true;
    }
  });
});
