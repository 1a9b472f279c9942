import { expect } from 'chai';
import request from 'supertest';
import { aTestIssuer } from '../../support/identity.js';
import { anOrderApp } from '../../support/order-app.js';

describe('GET /docs', () => {
  it('is a page that renders /openapi.json with a script of the same origin', async () => {
    const app = anOrderApp({ issuer: await aTestIssuer() }).app;

    const page = await request(app)
      .get('/docs')
      .expect(200)
      .expect('content-type', /text\/html/);

    expect(page.text).to.include('<redoc spec-url="/openapi.json">');
    expect(page.text).to.include('<script src="/docs/redoc.standalone.js">');
    expect(page.text).to.not.match(/<script>|https?:\/\//);
    expect(page.headers['content-security-policy']).to.include("script-src 'self'");
    const script = await request(app)
      .get('/docs/redoc.standalone.js')
      .expect(200)
      .expect('content-type', /javascript/);
    expect(script.headers['cache-control']).to.equal('public, max-age=3600');
    expect(script.text.length).to.be.greaterThan(100_000);
  });
});
