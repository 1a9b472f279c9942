import { expect } from 'chai';
import type { SmokeStep } from '@orderflow/tools/smoke/smoke';
import { localSystem } from './fixture.js';
import { aCatalog } from './support/clients.js';
import { npmRun } from './support/cli.js';
import { sellerEndpoint } from './support/observe.js';

const smoke = async (args: string[]) => {
  const { code, stdout, stderr } = await npmRun('smoke', [
    '--api',
    localSystem().urls.orderApi,
    '--json',
    ...args,
  ]);
  return { code, stderr, steps: JSON.parse(stdout || '[]') as SmokeStep[] };
};

describe('npm run smoke, against the local system', () => {
  it('places an order with a dev-issuer token and follows it until every subscriber is done', async () => {
    const catalog = await aCatalog({ products: [{ stock: 2 }] });

    const { code, steps, stderr } = await smoke([
      '--dev-token',
      '--product',
      catalog.products[0]!.id,
    ]);

    expect(code, stderr).to.equal(0);
    expect(steps.map((s) => [s.step, s.ok])).to.have.deep.members([
      ['health', true],
      ['catalog', true],
      ['order', true],
      ['notification', true],
      ['seller', true],
      ['segmentation', true],
    ]);
    expect(steps.every((s) => s.ms >= 0)).to.equal(true);
  });

  it('names the step that failed and where to look: a token the order service refuses', async () => {
    const { code, steps } = await smoke(['--token', 'not-a-jwt']);

    expect(code).to.equal(1);
    expect(steps.at(-1)).to.include({ step: 'order', ok: false });
    expect(steps.at(-1)?.detail).to.contain('401 unauthenticated');
    expect(steps.at(-1)?.lookAt).to.contain('AUTH_ISSUER');
  });

  it('reports a subscriber still retrying at the deadline, with its last error', async () => {
    const catalog = await aCatalog({ products: [{ stock: 2 }] });
    await sellerEndpoint(catalog.sellers[0]!.id, { status: 500 });
    try {
      const { code, steps } = await smoke([
        '--dev-token',
        '--product',
        catalog.products[0]!.id,
        '--timeout',
        '2',
      ]);

      expect(code).to.equal(1);
      const seller = steps.find((s) => s.step === 'seller');
      expect(seller).to.include({ ok: false });
      expect(seller?.detail).to.match(/^(retrying|pending)/);
      expect(seller?.lookAt).to.contain('seller');
    } finally {
      // The retry then succeeds: nothing is left failing for the tests after this one.
      await sellerEndpoint(catalog.sellers[0]!.id, { status: 200 });
    }
  });
});
