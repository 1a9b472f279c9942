import { expect } from 'chai';
import { ConfigError, parseConfig } from '@orderflow/platform';
import { orderConfig } from '@orderflow/order/config';

const required = {
  GOOGLE_CLOUD_PROJECT: 'demo-test',
  AUTH_ISSUER: 'https://issuer.example',
  AUTH_AUDIENCE: 'orderflow',
  AUTH_JWKS_URL: 'https://issuer.example/jwks.json',
  RELAY_AUTH: 'off',
};

describe('order service configuration', () => {
  it('allows no web origin and sends HSTS unless configured otherwise', () => {
    const config = parseConfig(orderConfig, required);
    expect(config.CORS_ORIGINS).to.deep.equal([]);
    expect(config.HSTS).to.equal('on');
  });

  it('reads CORS_ORIGINS as a comma-separated list of origins', () => {
    const config = parseConfig(orderConfig, {
      ...required,
      CORS_ORIGINS: 'https://shop.example, http://localhost:3000',
    });
    expect(config.CORS_ORIGINS).to.deep.equal(['https://shop.example', 'http://localhost:3000']);
  });

  it('refuses an origin with a path, or one that is no URL, naming the variable', () => {
    for (const origins of ['https://shop.example/', 'https://shop.example/app', 'shop.example']) {
      expect(() => parseConfig(orderConfig, { ...required, CORS_ORIGINS: origins }), origins)
        .to.throw(ConfigError)
        .with.property('message')
        .that.includes('CORS_ORIGINS');
    }
  });
});
