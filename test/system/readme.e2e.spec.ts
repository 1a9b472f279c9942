import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { parseConfig } from '@orderflow/platform';
import { localConfig } from '@orderflow/tools/local/config';
import { repoRoot } from '@orderflow/tools/local/system';
import { localSystem, testConfig } from './fixture.js';
import { call } from './support/api.js';
import { eventually } from './support/eventually.js';

const run = promisify(execFile);

/** The README's shell blocks marked `sh try-it`, in order: what a newcomer runs against `npm start`. */
async function tryItBlocks(): Promise<string[]> {
  const readme = await readFile(join(repoRoot, 'README.md'), 'utf8');
  return [...readme.matchAll(/^```sh try-it\n([\s\S]*?)^```$/gm)].map((match) => match[1] ?? '');
}

/** The commands as written, sent to the test system's ports instead of `npm start`'s. */
function onTheTestSystem(script: string): string {
  const defaults = parseConfig(localConfig, {});
  const ports = Object.keys(defaults).filter((key) => key.endsWith('_PORT'));
  return ports.reduce(
    (moved, key) =>
      moved.replaceAll(
        `localhost:${String(defaults[key as keyof typeof defaults])}`,
        `localhost:${String(testConfig[key as keyof typeof testConfig])}`,
      ),
    script,
  );
}

describe("the README's Try it, run as written", function () {
  this.timeout(240_000);

  afterEach(async () => {
    // A failed run must not leave the seller broken for the specs after this one.
    await fetch(`${localSystem().urls.webhooks}/behaviour`, {
      method: 'PUT',
      body: JSON.stringify({ sellerId: 'acme', status: 200 }),
    });
  });

  it('places an order, dead-letters a broken seller’s webhook and replays it once mended', async () => {
    const blocks = await tryItBlocks();
    expect(blocks).to.have.length.greaterThan(1);
    // What the story leaves in the shell, for the checks below.
    const script = `${blocks.map(onTheTestSystem).join('\n')}\necho "ORDER=$ORDER TOKEN=$TOKEN"\n`;

    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: repoRoot,
      timeout: 200_000,
      // The test system's mail catcher and webhook stand-in hold every earlier spec's messages,
      // which the blocks print as a newcomer's few would be.
      maxBuffer: 1024 * 1024 * 1024,
      env: {
        ...process.env,
        GOOGLE_CLOUD_PROJECT: testConfig.GOOGLE_CLOUD_PROJECT,
        FIRESTORE_EMULATOR_HOST: testConfig.FIRESTORE_EMULATOR_HOST,
        PUBSUB_EMULATOR_HOST: testConfig.PUBSUB_EMULATOR_HOST,
        DEV_ISSUER_PORT: String(testConfig.DEV_ISSUER_PORT),
        ANALYTICS_PORT: String(testConfig.ANALYTICS_PORT),
        METADATA_SERVER_DETECTION: 'none',
      },
    });

    const [, order, token] = /ORDER=(\/orders\/[\w-]+) TOKEN=(\S+)/.exec(stdout) ?? [];
    expect(order, stdout).to.be.a('string');
    expect(stdout, stdout).to.match(/replayed [1-9]\d* to seller$/m);
    await eventually(
      async () => {
        const { body } = await call('GET', order!, { token: token! });
        const fulfilment = body.fulfilment as Record<string, { state: string }>;
        expect(fulfilment.seller?.state).to.equal('done');
      },
      { timeoutMs: 30_000 },
    );
  });
});
