import { expect } from 'chai';
import * as z from 'zod';
import { ConfigError, gcpConfig, oidcCallerConfig, parseConfig, port } from '@orderflow/platform';

const schema = gcpConfig.extend({ PORT: port(8080), API_URL: z.url() });

describe('parseConfig', () => {
  it('gives the typed values, with defaults', () => {
    expect(
      parseConfig(schema, {
        GOOGLE_CLOUD_PROJECT: 'demo-local',
        FIRESTORE_EMULATOR_HOST: '127.0.0.1:8086',
        API_URL: 'http://127.0.0.1:8090',
      }),
    ).to.deep.equal({
      GOOGLE_CLOUD_PROJECT: 'demo-local',
      FIRESTORE_EMULATOR_HOST: '127.0.0.1:8086',
      LOG_LEVEL: 'info',
      PORT: 8080,
      API_URL: 'http://127.0.0.1:8090',
    });
  });

  it('coerces numbers from text', () => {
    const config = parseConfig(schema, {
      GOOGLE_CLOUD_PROJECT: 'p',
      PORT: '9090',
      API_URL: 'http://x.test',
    });
    expect(config.PORT).to.equal(9090);
  });

  it('lists every problem at once, each by its variable', () => {
    const env = {
      PUBSUB_EMULATOR_HOST: 'localhost',
      LOG_LEVEL: 'loud',
      PORT: '70000',
      API_URL: 'not a url',
    };
    expect(() => parseConfig(schema, env)).to.throw(ConfigError);

    const [heading, ...problems] = configErrorOf(() => parseConfig(schema, env)).split('\n');
    expect(heading).to.equal('invalid configuration:');
    expect(problems.map((line) => line.trim().split(':')[0])).to.have.members([
      'GOOGLE_CLOUD_PROJECT',
      'PUBSUB_EMULATOR_HOST',
      'LOG_LEVEL',
      'PORT',
      'API_URL',
    ]);
    expect(problems).to.include('  PUBSUB_EMULATOR_HOST: expected host:port');
  });

  it('says a missing setting is required, whatever its type', () => {
    const numbered = gcpConfig.extend({ MAX_DELIVERY_ATTEMPTS: z.coerce.number().int().min(5) });
    const problems = configErrorOf(() => parseConfig(numbered, {}))
      .split('\n')
      .slice(1);
    expect(problems).to.have.members([
      '  GOOGLE_CLOUD_PROJECT: required',
      '  MAX_DELIVERY_ATTEMPTS: required',
    ]);
    expect(configErrorOf(() => parseConfig(numbered, { MAX_DELIVERY_ATTEMPTS: 'x' }))).to.contain(
      'MAX_DELIVERY_ATTEMPTS: Invalid input: expected number, received NaN',
    );
  });
  it('gives the rule a missing setting breaks through its default, not "required"', () => {
    const bounded = gcpConfig
      .extend({ TOTAL_MS: z.coerce.number().default(10), PART_MS: z.coerce.number() })
      .refine((c) => c.TOTAL_MS >= c.PART_MS, {
        message: 'must leave room for PART_MS',
        path: ['TOTAL_MS'],
      });
    expect(configErrorOf(() => parseConfig(bounded, { GOOGLE_CLOUD_PROJECT: 'p', PART_MS: '20' })))
      .to.contain('TOTAL_MS: must leave room for PART_MS')
      .and.not.contain('required');
  });
});

describe('oidcCallerConfig', () => {
  const callers = oidcCallerConfig('PUSH_AUTH', ['cloud-run', 'oidc']);
  const on = {
    PUSH_AUTH_AUDIENCE: 'https://seller.acme.orderflow.internal',
    PUSH_AUTH_SERVICE_ACCOUNT: 'push@acme.iam.gserviceaccount.com',
  };

  for (const mode of ['oidc', 'cloud-run']) {
    it(`gives the options verifyGoogleOidc takes in ${mode} mode`, () => {
      expect(parseConfig(callers, { PUSH_AUTH: mode, ...on })).to.deep.equal({
        PUSH_AUTH: {
          mode,
          audience: 'https://seller.acme.orderflow.internal',
          serviceAccount: 'push@acme.iam.gserviceaccount.com',
        },
      });
    });
  }

  it('takes the keys from another JWKS URL when told', () => {
    const env = { PUSH_AUTH: 'oidc', ...on, PUSH_AUTH_JWKS_URL: 'http://127.0.0.1:8091/certs' };
    expect(parseConfig(callers, env).PUSH_AUTH?.jwksUrl).to.equal('http://127.0.0.1:8091/certs');
    const bad = { ...env, PUSH_AUTH_JWKS_URL: 'not a url' };
    expect(configErrorOf(() => parseConfig(callers, bad))).to.contain('PUSH_AUTH_JWKS_URL');
  });

  it('refuses cloud-run where only oidc is allowed (a public service)', () => {
    const publicCallers = oidcCallerConfig('RELAY_AUTH');
    const env = {
      RELAY_AUTH: 'cloud-run',
      RELAY_AUTH_AUDIENCE: 'https://order.acme.orderflow.internal',
      RELAY_AUTH_SERVICE_ACCOUNT: 'scheduler@acme.iam.gserviceaccount.com',
    };
    expect(configErrorOf(() => parseConfig(publicCallers, env))).to.contain('RELAY_AUTH');
  });

  it('gives nothing to verify when off with the emulator, whatever else is set', () => {
    const env = {
      PUSH_AUTH: 'off',
      PUSH_AUTH_AUDIENCE: 'ignored',
      PUBSUB_EMULATOR_HOST: '127.0.0.1:8085',
    };
    expect(parseConfig(callers, env)).to.deep.equal({ PUSH_AUTH: undefined });
  });

  it('refuses off where no emulator is configured, saying what to set', () => {
    const problem = configErrorOf(() => parseConfig(callers, { PUSH_AUTH: 'off' }));
    expect(problem).to.contain('PUSH_AUTH=off is for the local emulators only');
  });

  it('refuses oidc without its audience and account, and a missing or unknown mode', () => {
    const incomplete = configErrorOf(() => parseConfig(callers, { PUSH_AUTH: 'oidc' }));
    expect(incomplete).to.contain('PUSH_AUTH_AUDIENCE').and.to.contain('PUSH_AUTH_SERVICE_ACCOUNT');
    expect(configErrorOf(() => parseConfig(callers, {}))).to.contain('PUSH_AUTH');
    expect(configErrorOf(() => parseConfig(callers, { PUSH_AUTH: 'maybe' }))).to.contain(
      'PUSH_AUTH',
    );
  });
});

function configErrorOf(parse: () => unknown): string {
  try {
    parse();
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  expect.fail('expected a ConfigError');
}
