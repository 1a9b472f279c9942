import { expect } from 'chai';
import { parseBenchArgs } from '@orderflow/tools/bench/options';
import { architectures, benchSettings } from '@orderflow/tools/bench/settings';

describe('bench options', () => {
  it('runs everything in full by default', () => {
    const options = parseBenchArgs([]);
    expect(options.settings).to.deep.equal(benchSettings.full);
    expect(options).to.deep.include({ json: undefined, svg: undefined, useRunning: false });
  });

  it('selects the quick settings and subsets, in their canonical order', () => {
    const { settings } = parseBenchArgs([
      '--quick',
      '--architectures',
      'rr-parallel,event-driven',
      '--scenarios',
      'burst',
      '--floor',
      '',
    ]);
    expect(settings.mode).to.equal('quick');
    expect(settings.architectures).to.deep.equal(['event-driven', 'rr-parallel']);
    expect(settings.scenarios).to.deep.equal(['burst']);
    expect(settings.floorSteps).to.deep.equal([]);
  });

  it('refuses unknown names and options', () => {
    expect(() => parseBenchArgs(['--architectures', 'grpc'])).to.throw(
      /--architectures: unknown grpc/,
    );
    expect(() => parseBenchArgs(['--fast'])).to.throw(/fast/);
    expect(() => parseBenchArgs(['--tracing', '--use-running'])).to.throw(/--tracing/);
  });

  it('runs the tracing comparison alone with --tracing, quick or in full', () => {
    expect(parseBenchArgs([]).tracing).to.equal(false);
    const quick = parseBenchArgs(['--tracing', '--quick']);
    expect([quick.tracing, quick.settings.tracing.rounds]).to.deep.equal([true, 2]);
    expect(parseBenchArgs(['--tracing']).settings.tracing.rounds).to.equal(6);
  });

  it('runs the hot-product comparison alone with --hot, never on a running system', () => {
    expect(parseBenchArgs([]).hot).to.equal(false);
    expect(parseBenchArgs(['--hot', '--quick']).hot).to.equal(true);
    expect(() => parseBenchArgs(['--hot', '--use-running'])).to.throw(/--hot/);
    expect(() => parseBenchArgs(['--hot', '--tracing'])).to.throw(/--hot/);
  });

  it('drains the outbox of an outage alone with --relay-drain, on a system of its own', () => {
    expect(parseBenchArgs(['--relay-drain', '--quick'])).to.deep.include({ relayDrain: true });
    expect(parseBenchArgs([]).relayDrain).to.equal(false);
    for (const other of ['--use-running', '--tracing', '--hot', '--saturation']) {
      expect(() => parseBenchArgs(['--relay-drain', other])).to.throw(/--relay-drain/);
    }
  });

  it('keeps the quick run to every architecture and scenario, shorter', () => {
    const { quick, full } = benchSettings;
    expect(quick.architectures).to.deep.equal(architectures);
    expect(quick.scenarios).to.deep.equal(full.scenarios);
    expect(quick.steady.seconds).to.be.below(full.steady.seconds);
  });

  it('moves every port of its own system with --port-base', () => {
    expect(parseBenchArgs([]).portBase).to.equal(28000);
    expect(parseBenchArgs(['--port-base', '29000']).portBase).to.equal(29000);
    expect(() => parseBenchArgs(['--port-base', '80'])).to.throw(/--port-base/);
    expect(() => parseBenchArgs(['--port-base', 'x'])).to.throw(/--port-base/);
  });
});
