import { expect } from 'chai';
import { z } from 'zod';
import { ConfigError, gcpConfig, parseConfig, port } from '@orderflow/platform';

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
