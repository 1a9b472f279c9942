import { expect } from 'chai';
import { ConfigError, parseConfig } from '@orderflow/platform';
import { sellerConfig } from '@orderflow/seller/config';

const settings = {
  GOOGLE_CLOUD_PROJECT: 'demo-test',
  MAX_DELIVERY_ATTEMPTS: '5',
  PUSH_AUTH: 'off',
  SWEEP_AUTH: 'off',
  RECONCILE_AUTH: 'off',
  PUBSUB_EMULATOR_HOST: '127.0.0.1:8085',
  SMTP_URL: 'smtp://127.0.0.1:2525',
  WEBHOOK_MASTER_KEY: `whsec_${Buffer.alloc(32, 1).toString('base64')}`,
};

describe('seller service configuration', () => {
  it('takes a whsec_ master key', () => {
    expect(parseConfig(sellerConfig, settings).WEBHOOK_MASTER_KEY).to.equal(
      settings.WEBHOOK_MASTER_KEY,
    );
  });

  it('refuses at start-up a master key that is not a valid whsec_ key, saying why', () => {
    const cases: [string, string][] = [
      ['secret', 'must start with whsec_'],
      ['whsec_not base64!', 'must be base64'],
      [`whsec_${Buffer.alloc(16).toString('base64')}`, 'must be 24 to 64 bytes, not 16'],
    ];
    for (const [key, problem] of cases) {
      expect(() => parseConfig(sellerConfig, { ...settings, WEBHOOK_MASTER_KEY: key }), key)
        .to.throw(ConfigError)
        .with.property('message')
        .that.contains('WEBHOOK_MASTER_KEY')
        .and.contains(`not a whsec_ key: `)
        .and.contains(problem);
    }
  });
});
