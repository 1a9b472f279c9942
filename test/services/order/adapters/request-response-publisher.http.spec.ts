import { expect } from 'chai';
import type { Express } from 'express';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  RequestResponsePublisher,
  subscriberEndpoints,
  type RequestResponseOptions,
} from '@orderflow/order/adapters/request-response-publisher';
import {
  planSubscriptions,
  topology,
  type ServiceName,
  type SubscriptionPlan,
} from '@orderflow/topology';
import { aSeller } from '../../../support/catalog.js';
import { anOrderLine, anOrderPlacedEvent } from '../../../support/events.js';
import {
  aNotificationService,
  aSegmentationService,
  aSellerService,
} from '../../../support/services.js';

/** Request-response delivery stands in for `order-placed.v1`'s subscriptions only. */
const plans = planSubscriptions(topology).filter((p) => p.topic === 'order-placed.v1');
const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const pottery = aSeller({ id: 'pottery', webhookUrl: 'https://pottery.test/hooks' });

interface Listening {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Call {
  subscriber: string;
  startedAt: number;
  endedAt: number;
}

/** A push endpoint that answers `status` after `delayMs`, recording when each call began and ended. */
async function aRecordingEndpoint(
  subscriber: string,
  calls: Call[],
  { status = 204, delayMs = 0 } = {},
): Promise<Listening> {
  return listen(
    createServer((req, res) => {
      const startedAt = performance.now();
      req.resume().on('end', () => {
        setTimeout(() => {
          calls.push({ subscriber, startedAt, endedAt: performance.now() });
          res.writeHead(status).end();
        }, delayMs);
      });
    }),
  );
}

describe('RequestResponsePublisher', () => {
  const servers: Listening[] = [];
  const serve = async (server: Promise<Listening>) => {
    const listening = await server;
    servers.push(listening);
    return listening;
  };
  const serveApp = (app: Express) => serve(listen(createServer(app)));

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  /** A publisher calling each plan's subscriber at the URL `urls` gives. */
  const aPublisher = (
    urls: Record<string, string>,
    options: Partial<RequestResponseOptions> = {},
  ) =>
    new RequestResponsePublisher({
      mode: 'parallel',
      timeoutMs: 2_000,
      subscribers: subscriberEndpoints(plans, 'test-project', urls),
      ...options,
    });

  const withPath = (plan: SubscriptionPlan, listening: Listening) => listening.url + plan.pushPath;

  async function theSubscriberServices() {
    const services = {
      notification: aNotificationService(),
      seller: aSellerService([pottery]),
      segmentation: aSegmentationService(),
    };
    const apps: Partial<Record<ServiceName, Express>> = {
      notification: services.notification.app,
      seller: services.seller.app,
      segmentation: services.segmentation.app,
    };
    const urls: Record<string, string> = {};
    for (const plan of plans) {
      urls[plan.subscriber] = withPath(plan, await serveApp(apps[plan.service]!));
    }
    return { services, urls };
  }

  for (const mode of ['sequential', 'parallel'] as const) {
    it(`${mode}: every subscriber service accepts the envelope and does its work`, async () => {
      const { services, urls } = await theSubscriberServices();
      const event = anOrderPlacedEvent({
        data: { lines: [anOrderLine({ sellerId: 'pottery' })] },
      });

      await aPublisher(urls, { mode }).publish(event, traceparent);

      expect(services.notification.mailer.sent).to.have.length(1);
      expect(services.seller.webhooks.delivered.map((w) => w.url)).to.deep.equal([
        pottery.webhookUrl,
      ]);
      expect(services.segmentation.segments.segments.get(event.data.customer.id)).to.include({
        orderCount: 1,
      });
      for (const { ledger } of Object.values(services)) {
        const records = Object.values(ledger.fulfilment.get(event.data.orderId) ?? {});
        expect(records.map((r) => [r.state, r.eventId])).to.deep.equal([['done', event.id]]);
      }
    });
  }

  it('fails with the subscriber that failed, once every call has answered', async () => {
    const { services, urls } = await theSubscriberServices();
    // A seller that fails no longer fails the seller service's answer (its part is retried on
    // its own), so the failing subscriber here is notification, whose mail cannot be sent.
    services.notification.mailer.failWith = new Error('SMTP unavailable');
    const event = anOrderPlacedEvent({ data: { lines: [anOrderLine({ sellerId: 'pottery' })] } });

    const failure = await aPublisher(urls)
      .publish(event)
      .then(
        () => undefined,
        (error: unknown) => error as Error,
      );

    expect(failure?.name).to.equal('SubscriberCallError');
    expect(failure?.message).to.match(/^notification answered 5\d\d/);
    expect(services.seller.webhooks.delivered).to.have.length(1);
  });

  it('sequential: calls one subscriber after another, and none after the first failure', async () => {
    const calls: Call[] = [];
    const [first, second, third] = plans as [SubscriptionPlan, SubscriptionPlan, SubscriptionPlan];
    const urls = {
      [first.subscriber]: (
        await serve(aRecordingEndpoint(first.subscriber, calls, { delayMs: 30 }))
      ).url,
      [second.subscriber]: (await serve(aRecordingEndpoint(second.subscriber, calls))).url,
      [third.subscriber]: (await serve(aRecordingEndpoint(third.subscriber, calls))).url,
    };
    await aPublisher(urls, { mode: 'sequential' }).publish(anOrderPlacedEvent());
    expect(calls.map((c) => c.subscriber)).to.deep.equal(plans.map((p) => p.subscriber));
    expect(calls[1]!.startedAt).to.be.at.least(calls[0]!.endedAt);

    calls.length = 0;
    urls[second.subscriber] = (
      await serve(aRecordingEndpoint(second.subscriber, calls, { status: 500 }))
    ).url;
    const failed = await aPublisher(urls, { mode: 'sequential' })
      .publish(anOrderPlacedEvent())
      .then(
        () => false,
        () => true,
      );
    expect(failed).to.equal(true);
    expect(calls.map((c) => c.subscriber)).to.deep.equal([first.subscriber, second.subscriber]);
  });

  it('parallel: calls every subscriber at once', async () => {
    const calls: Call[] = [];
    const urls: Record<string, string> = {};
    for (const plan of plans) {
      urls[plan.subscriber] = (
        await serve(aRecordingEndpoint(plan.subscriber, calls, { delayMs: 50 }))
      ).url;
    }
    await aPublisher(urls).publish(anOrderPlacedEvent());
    const lastStart = Math.max(...calls.map((c) => c.startedAt));
    const firstEnd = Math.min(...calls.map((c) => c.endedAt));
    expect(calls).to.have.length(plans.length);
    expect(lastStart).to.be.below(firstEnd);
  });

  it('fails when the subscribers take longer than the timeout', async () => {
    const calls: Call[] = [];
    const urls: Record<string, string> = {};
    for (const plan of plans) {
      urls[plan.subscriber] = (
        await serve(aRecordingEndpoint(plan.subscriber, calls, { delayMs: 200 }))
      ).url;
    }
    const started = performance.now();
    const failure = await aPublisher(urls, { timeoutMs: 50 })
      .publish(anOrderPlacedEvent())
      .then(
        () => undefined,
        (error: unknown) => error as Error,
      );
    expect(failure?.message).to.match(/did not answer/);
    expect(performance.now() - started).to.be.below(190);
  });

  it('is never left to the outbox relay: a failure is final', () => {
    expect(
      aPublisher({ notification: 'x', seller: 'x', segmentation: 'x' }).retriableLater,
    ).to.equal(false);
  });

  it('needs a URL for every subscriber, and names each subscription in its envelopes', () => {
    expect(() => subscriberEndpoints(plans, 'p', { notification: 'http://n' })).to.throw(
      /no URL for subscriber seller/,
    );
    const urls = Object.fromEntries(plans.map((p) => [p.subscriber, `http://${p.subscriber}`]));
    expect(subscriberEndpoints(plans, 'p', urls)[0]).to.deep.equal({
      name: plans[0]!.subscriber,
      url: `http://${plans[0]!.subscriber}`,
      subscription: `projects/p/subscriptions/${plans[0]!.subscription}`,
    });
  });
});
