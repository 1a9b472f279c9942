import { expect } from 'chai';
import { ConfigError, parseConfig } from '@orderflow/platform';
import { orderConfig } from '@orderflow/order/config';

const required = {
  GOOGLE_CLOUD_PROJECT: 'demo-test',
  AUTH_ISSUER: 'https://issuer.example',
  AUTH_AUDIENCE: 'orderflow',
  AUTH_JWKS_URL: 'https://issuer.example/jwks.json',
  RELAY_AUTH: 'off',
  PUBSUB_EMULATOR_HOST: '127.0.0.1:8085',
};

describe('order service configuration', () => {
  it('pins tokens to RS256 and limits each customer to 10 orders a second, bursts of 20, by default', () => {
    const config = parseConfig(orderConfig, required);
    expect(config.AUTH_ALGORITHMS).to.deep.equal(['RS256']);
    expect(config).to.include({
      ORDER_RATE_PER_SECOND: 10,
      ORDER_RATE_BURST: 20,
      TRUSTED_PROXY_HOPS: 1,
    });
  });

  it('reads AUTH_ALGORITHMS as a list, and refuses a symmetric or unknown one', () => {
    const config = parseConfig(orderConfig, { ...required, AUTH_ALGORITHMS: 'ES256, RS256' });
    expect(config.AUTH_ALGORITHMS).to.deep.equal(['ES256', 'RS256']);
    for (const algorithms of ['HS256', 'none', 'RS256,', '']) {
      expect(
        () => parseConfig(orderConfig, { ...required, AUTH_ALGORITHMS: algorithms }),
        algorithms,
      )
        .to.throw(ConfigError)
        .with.property('message')
        .that.contains('AUTH_ALGORITHMS');
    }
  });

  it('refuses RELAY_AUTH=off away from the emulators: it would open the relay to anyone', () => {
    const { PUBSUB_EMULATOR_HOST: _emulator, ...production } = required;
    expect(() => parseConfig(orderConfig, production))
      .to.throw(ConfigError)
      .with.property('message')
      .that.contains('RELAY_AUTH=off is for the local emulators only');
  });

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
