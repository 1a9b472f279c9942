import { expect } from 'chai';
import request from 'supertest';
import { aCustomer, aProduct } from '../../support/catalog.js';
import { aTestIssuer, type TestIssuer } from '../../support/identity.js';
import { anOrderApp, shopOrigin, type OrderAppHarness } from '../../support/order-app.js';

const corsHeaders = (headers: Record<string, string>) =>
  Object.keys(headers).filter((name) => name.startsWith('access-control-'));

describe('order service for browsers', () => {
  let issuer: TestIssuer;
  let h: OrderAppHarness;

  before(async () => {
    issuer = await aTestIssuer();
  });

  beforeEach(() => {
    h = anOrderApp({ issuer, products: [aProduct({ id: 'vase', stock: 4 })] });
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      request(h.app)
        .options('/orders')
        .set('Origin', origin)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'authorization,content-type,idempotency-key');

    it("answers an allowed origin's preflight for the headers an order needs", async () => {
      const res = await preflight(shopOrigin).expect(204);
      expect(res.headers['access-control-allow-origin']).to.equal(shopOrigin);
      expect(res.headers['access-control-allow-headers']).to.equal(
        'Authorization,Content-Type,Idempotency-Key',
      );
      expect(res.headers['access-control-allow-methods']).to.include('POST');
      expect(res.headers.vary).to.include('Origin');
    });

    it('lets an allowed page read Location, Idempotent-Replayed, Retry-After and RateLimit', async () => {
      const res = await request(h.app)
        .post('/orders')
        .set('Origin', shopOrigin)
        .set('Authorization', await h.authorization(aCustomer()))
        .send({ items: [{ productId: 'vase', quantity: 1 }] })
        .expect(201);
      expect(res.headers['access-control-allow-origin']).to.equal(shopOrigin);
      const exposed = (res.headers['access-control-expose-headers'] as string).split(',');
      expect(exposed).to.include.members([
        'Location',
        'Idempotent-Replayed',
        'Retry-After',
        'RateLimit',
        'RateLimit-Policy',
      ]);
    });

    it('gives any other origin no CORS header at all, preflight or not', async () => {
      const other = 'https://evil.example';
      const pre = await preflight(other);
      expect(corsHeaders(pre.headers)).to.deep.equal([]);
      const res = await request(h.app).get('/products').set('Origin', other).expect(200);
      expect(corsHeaders(res.headers)).to.deep.equal([]);
      // A cache must not hand this answer to an allowed origin, or the other way round.
      expect(res.headers.vary).to.include('Origin');
    });
  });

  describe('security headers', () => {
    it('sends nosniff and HSTS, and no x-powered-by, on every answer', async () => {
      for (const res of [
        await request(h.app).get('/products'),
        await request(h.app).get('/no-such-route'),
      ]) {
        expect(res.headers['x-content-type-options']).to.equal('nosniff');
        expect(res.headers['strict-transport-security']).to.match(/^max-age=\d+/);
        expect(res.headers).to.not.have.property('x-powered-by');
      }
    });

    it('sends no HSTS where the configuration turns it off (plain local HTTP)', async () => {
      const local = anOrderApp({ issuer, deps: { browser: { corsOrigins: [], hsts: false } } });
      const res = await request(local.app).get('/products').expect(200);
      expect(res.headers).to.not.have.property('strict-transport-security');
      expect(res.headers['x-content-type-options']).to.equal('nosniff');
    });
  });
});
