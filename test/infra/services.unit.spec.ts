import { expect } from 'chai';
import { topology } from '@orderflow/topology';
import { outboxes, relayWrapUpMs } from '../../infra/services.js';
import { runProgram, runStack } from './fixture.js';
import type { Declarations } from './mocks.js';
import { smtpUrl, webhookMasterKey } from './stack-config.js';
import { cloudRun, containerOf, envOf, memberOf, plainEnv } from './views.js';

const services = ['order', 'notification', 'seller', 'segmentation'];

describe('infra: the Cloud Run services', () => {
  let declared: Declarations;
  before(async () => {
    ({ declared } = await runProgram());
  });

  it('runs each service from its image in the registry, at the configured tag', () => {
    for (const service of services) {
      expect(containerOf(declared, service).image).to.equal(
        `europe-west1-docker.pkg.dev/acme-orders/orderflow/${service}:3f9c2ab`,
      );
    }
  });

  it('sets concurrency, timeout, cpu, memory, instances and a /healthz startup probe', () => {
    for (const service of services) {
      const { template } = cloudRun(declared, service).inputs;
      const container = containerOf(declared, service);
      const subscriber = topology.subscribers.some((s) => s.service === service);
      expect(template.maxInstanceRequestConcurrency, service).to.equal(80);
      expect(template.timeout, service).to.equal(
        subscriber ? `${topology.delivery.production.ackDeadlineSeconds}s` : '30s',
      );
      expect(template.scaling, service).to.deep.equal({
        minInstanceCount: 0,
        maxInstanceCount: 10,
      });
      expect(container.resources?.limits, service).to.deep.equal({ cpu: '1', memory: '512Mi' });
      expect(container.startupProbe?.httpGet, service).to.deep.equal({
        path: '/healthz',
        port: 8080,
      });
    }
  });

  it("ends each outbox relay's pass before Cloud Run's request timeout and Cloud Scheduler's attempt deadline", async () => {
    const seconds = (duration: unknown) => Number(String(duration).replace(/s$/, '')) * 1000;
    for (const stack of [declared, await runStack({ requestTimeoutSeconds: '20' })]) {
      for (const { service, job } of outboxes) {
        const deadlineMs = Math.min(
          seconds(cloudRun(stack, service).inputs.template.timeout),
          seconds(stack.one('gcp:cloudscheduler/job:Job', 'name', job).inputs.attemptDeadline),
        );
        const passMs = Number(plainEnv(stack, service, 'RELAY_PASS_MS'));
        const publishMs = Number(plainEnv(stack, service, 'PUBLISH_TIMEOUT_MS'));
        expect(passMs, service).to.be.above(0);
        expect(passMs + publishMs + relayWrapUpMs, service).to.be.at.most(deadlineMs);
      }
    }
  });

  it('scales the order service by its own instance counts, the subscribers by theirs', async () => {
    const scaled = await runStack({
      orderMinInstances: '2',
      orderMaxInstances: '40',
      minInstances: '1',
      maxInstances: '20',
    });
    for (const service of services) {
      expect(cloudRun(scaled, service).inputs.template.scaling, service).to.deep.equal(
        service === 'order'
          ? { minInstanceCount: 2, maxInstanceCount: 40 }
          : { minInstanceCount: 1, maxInstanceCount: 20 },
      );
    }
  });

  it('gives the order service the customer identity provider of the project', () => {
    const env = envOf(declared, 'order');
    expect(env.get('AUTH_ISSUER')?.value).to.equal('https://securetoken.google.com/acme-orders');
    expect(env.get('AUTH_AUDIENCE')?.value).to.equal('acme-orders');
    expect(env.get('AUTH_JWKS_URL')?.value).to.match(/^https:\/\/www\.googleapis\.com\//);
  });

  it("lets the stack's web origins call the order API from a browser, with HSTS", () => {
    const env = envOf(declared, 'order');
    expect(env.get('CORS_ORIGINS')?.value).to.equal(
      'https://shop.acme.example,https://admin.acme.example',
    );
    expect(env.has('HSTS')).to.equal(false);
  });

  it('never puts a secret in plain env, only references to Secret Manager', () => {
    for (const service of services) {
      for (const env of envOf(declared, service).values()) {
        expect(env.value ?? '', `${service} ${env.name}`).to.not.be.oneOf([
          smtpUrl,
          webhookMasterKey,
        ]);
        expect(env.value ?? '', `${service} ${env.name}`).to.not.match(/whsec_|:\/\/[^/]*:[^/]*@/);
      }
    }
    const refs = (service: string) =>
      Object.fromEntries(
        [...envOf(declared, service).values()]
          .filter((e) => e.valueSource)
          .map((e) => [e.name, e.valueSource?.secretKeyRef]),
      );
    expect(refs('notification')).to.deep.equal({ SMTP_URL: { secret: 'smtp-url', version: '3' } });
    expect(refs('seller')).to.deep.equal({
      SMTP_URL: { secret: 'smtp-url', version: '3' },
      WEBHOOK_MASTER_KEY: { secret: 'webhook-master-key', version: '3' },
    });
    expect(refs('order')).to.deep.equal({});
    expect(refs('segmentation')).to.deep.equal({});
  });

  it('lets only the services that use a secret read it, and the operators the webhook master key', () => {
    const readers = (secret: string) =>
      declared
        .ofType('gcp:secretmanager/secretIamMember:SecretIamMember')
        .filter((g) => g.inputs.secretId === `projects/acme-orders/secrets/${secret}`)
        .map((g) => [g.inputs.role, g.inputs.member]);
    expect(readers('smtp-url')).to.have.deep.members([
      ['roles/secretmanager.secretAccessor', memberOf(declared, 'orderflow-notification')],
      ['roles/secretmanager.secretAccessor', memberOf(declared, 'orderflow-seller')],
    ]);
    expect(readers('webhook-master-key')).to.have.deep.members([
      ['roles/secretmanager.secretAccessor', memberOf(declared, 'orderflow-seller')],
      // The operators, who show a seller its secret.
      ['roles/secretmanager.secretAccessor', 'group:platform@acme.example'],
    ]);
  });
});
