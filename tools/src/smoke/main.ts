import { join } from 'node:path';
import { loadConfig } from '@orderflow/platform';
import { fail, parseCli } from '../cli/args.js';
import { issuerUrl, localAudience, localConfig } from '../local/config.js';
import { loadOrCreateDevKey, signDevToken } from '../local/dev-issuer.js';
import { repoRoot } from '../local/system.js';
import { smoke, type SmokeStep } from './smoke.js';

const usage =
  'usage: npm run -s smoke -- --api <url> (--token <customer JWT> | --dev-token) ' +
  '[--product <id>] [--timeout <seconds>] [--json]';
const { values } = parseCli(
  {
    options: {
      api: { type: 'string' },
      token: { type: 'string' },
      'dev-token': { type: 'boolean', default: false },
      product: { type: 'string' },
      timeout: { type: 'string', default: '60' },
      json: { type: 'boolean', default: false },
    },
  },
  usage,
);
const timeoutMs = Number(values.timeout) * 1000;
if (!values.api || !(timeoutMs > 0) || Boolean(values.token) === values['dev-token']) {
  fail(usage, 2);
}

const steps = await smoke({
  api: values.api.replace(/\/$/, ''),
  token: values.token ?? (await devToken()),
  productId: values.product,
  timeoutMs,
  pollMs: 250,
});
process.stdout.write(values.json ? `${JSON.stringify(steps, null, 2)}\n` : report(steps));
process.exitCode = steps.every((s) => s.ok) ? 0 : 1;

/** A customer token of the local development issuer, as `npm run token` signs it. */
async function devToken(): Promise<string> {
  const config = loadConfig(localConfig);
  const key = await loadOrCreateDevKey(join(repoRoot, '.local', 'dev-issuer-key.json'));
  const sub = `smoke-${Date.now()}`;
  return signDevToken(key, {
    sub,
    email: `${sub}@example.test`,
    issuer: issuerUrl(config),
    audience: localAudience,
  });
}

function report(steps: SmokeStep[]): string {
  const lines = steps.map((s) => {
    const line = `${s.ok ? 'ok  ' : 'FAIL'}  ${s.step.padEnd(14)} ${`${s.ms} ms`.padStart(9)}  ${s.detail}`;
    return s.ok || !s.lookAt ? line : `${line}\n      look at: ${s.lookAt}`;
  });
  return `${lines.join('\n')}\n`;
}
