import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { orderConfig } from '@orderflow/order/config';
import { parseConfig } from '@orderflow/platform';
import { sellerConfig } from '@orderflow/seller/config';
import { subscriberConfig } from '@orderflow/subscriber';
import { telemetryConfig } from '@orderflow/telemetry';
import { coldStartEnv, coldStartServices, coldStartText } from '@orderflow/tools/bench/cold-start';
import { localConfig } from '@orderflow/tools/local/config';
import { repoRoot } from '@orderflow/tools/local/paths';
import { serviceCommand } from '@orderflow/tools/local/service-command';
import { localServiceEnv } from '@orderflow/tools/local/service-env';

describe('cold-start environment', () => {
  it('is accepted by each service, as production configures it', () => {
    expect(() => parseConfig(orderConfig, coldStartEnv('order', 9000))).not.to.throw();
    expect(() => parseConfig(sellerConfig, coldStartEnv('seller', 9000))).not.to.throw();
    for (const service of ['notification', 'segmentation'] as const) {
      expect(() => parseConfig(subscriberConfig({}), coldStartEnv(service, 9000))).not.to.throw();
    }
    for (const service of coldStartServices) {
      const telemetry = parseConfig(telemetryConfig, coldStartEnv(service, 9000));
      expect(telemetry).to.deep.include({ TELEMETRY_AUTH: 'google', TRACE_EXPORT_DELAY_MS: 5000 });
    }
  });

  it('is the local system’s environment without its local-only settings', () => {
    for (const service of coldStartServices) {
      const env = coldStartEnv(service, 9000);
      const local = localServiceEnv(localConfig.parse({}), service, { port: 9000 });
      expect(Object.keys(env)).to.include.members(
        Object.keys(local).filter(
          (name) => !/^(TRACE_EXPORT|RELAY_(INTERVAL|GRACE)|HSTS|CORS|SELLER_)/.test(name),
        ),
      );
      expect(env).to.include({ NODE_ENV: 'production', PORT: '9000', OTEL_SERVICE_NAME: service });
      expect(env).not.to.have.any.keys('RELAY_INTERVAL_MS', 'TRACE_EXPORT_DELAY_MS', 'HSTS');
    }
  });
});

describe('cold-start command', () => {
  it('is the image’s CMD, run from the bundle', () => {
    const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8');
    const cmd = JSON.parse(dockerfile.match(/^CMD (\[.*\])$/m)?.[1] ?? 'null') as string[];
    for (const service of coldStartServices) {
      // What the bench's `startCommand` runs; the bundle need not be built for its arguments.
      const { args } = serviceCommand(service, 'bundle', { mustExist: false });
      const inImage = args.map((arg) =>
        arg.replace(/^(\.\/)?bundle\//, './').replace(/^\.\/main/, 'main'),
      );
      expect(['node', ...inImage]).to.deep.equal(cmd);
    }
  });
});

describe('cold-start report', () => {
  it('gives each start its median and what it takes beyond node alone, express alone among them', () => {
    const starts = (...ms: number[]) => ({ startsMs: ms, medianMs: ms[1] ?? 0 });
    const text = coldStartText({
      nodeAlone: starts(95, 100, 140),
      expressAlone: starts(150, 160, 170),
      results: [{ service: 'order', build: 'bundle', ...starts(280, 300, 410) }],
    });
    const lines = text.split('\n');
    expect(lines[0]).to.equal(
      'Cold start: process start to first 200 of /healthz, median of 3 starts',
    );
    expect(lines.slice(2, 5).map((l) => l.split(/\s{2,}/))).to.deep.equal([
      ['node alone', '-', '100 ms', '0 ms', '(min 95, max 140)'],
      ['express alone', 'bundle', '160 ms', '60 ms', '(min 150, max 170)'],
      ['order', 'bundle', '300 ms', '200 ms', '(min 280, max 410)'],
    ]);
  });
});
