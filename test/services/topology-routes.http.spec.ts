import { expect } from 'chai';
import type { Express } from 'express';
import request from 'supertest';
import { planSubscriptions, topology, type ServiceName } from '@orderflow/topology';
import { aTestIssuer } from '../support/identity.js';
import { anOrderApp } from '../support/order-app.js';
import { expectProblem } from '../support/problem.js';
import { routesOf } from '../support/routes.js';
import { aNotificationService, aSegmentationService, aSellerService } from '../support/services.js';

/** The POST routes an Express 5 app serves, by path. */
const postRoutes = (app: Express) =>
  routesOf(app)
    .filter((route) => route.method === 'post')
    .map((route) => route.path);

describe('topology and routes', () => {
  const plans = planSubscriptions(topology);
  let apps: Record<ServiceName, Express>;

  before(async () => {
    apps = {
      order: anOrderApp({ issuer: await aTestIssuer() }).app,
      notification: aNotificationService().app,
      seller: aSellerService().app,
      segmentation: aSegmentationService().app,
    };
  });

  it('has a subscription for every subscriber service', () => {
    expect(plans.map((p) => p.service)).to.include.members([
      'notification',
      'seller',
      'segmentation',
    ]);
  });

  for (const plan of plans) {
    for (const [subscription, path] of [
      [plan.subscription, plan.pushPath],
      [plan.deadLetterSubscription, plan.deadLetterPushPath],
    ] as const) {
      it(`${subscription}: ${plan.service} has a push route at POST ${path}`, async () => {
        const res = await request(apps[plan.service]).post(path).send({});
        expectProblem(res, 400, 'invalid-event');
      });
    }
  }

  for (const service of ['order', 'notification', 'seller', 'segmentation'] as const) {
    it(`every /pubsub POST route of ${service} has a subscription`, () => {
      const pushRoutes = postRoutes(apps[service]).filter((path) => path.startsWith('/pubsub/'));
      const subscribed = plans
        .filter((p) => p.service === service)
        .flatMap((p) => [p.pushPath, p.deadLetterPushPath]);
      expect(pushRoutes).to.have.members([...new Set(subscribed)]);
    });
  }

  it('sees the routes it inspects: the order service posts /orders', () => {
    expect(postRoutes(apps.order)).to.include('/orders');
  });
});
