import { join } from 'node:path';
import { loadConfig } from '@orderflow/platform';
import { issuerUrl, localAudience, localConfig } from '../local/config.js';
import { loadOrCreateDevKey, signDevToken } from '../local/dev-issuer.js';
import { repoRoot } from '../local/system.js';
import { fail, parseCli } from './args.js';

const usage = [
  'usage: npm run -s token -- --sub <customerId> --email <address> [--expires-in 1h]',
  '       npm run -s token -- --seller <sellerId> [--sub <userId>] [--expires-in 1h]',
].join('\n');
const { values } = parseCli(
  {
    options: {
      sub: { type: 'string' },
      email: { type: 'string' },
      seller: { type: 'string' },
      'expires-in': { type: 'string', default: '1h' },
    },
  },
  usage,
);
const seller = values.seller;
// A customer's token needs the address its order mails go to; a seller's, the seller.
if (!seller && (!values.sub || !values.email)) fail(usage, 2);

const config = loadConfig(localConfig);
const key = await loadOrCreateDevKey(join(repoRoot, '.local', 'dev-issuer-key.json'));
const token = await signDevToken(key, {
  sub: values.sub ?? `${seller}-staff`,
  email: values.email,
  sellerId: seller,
  issuer: issuerUrl(config),
  audience: localAudience,
  expiresIn: values['expires-in'],
});
process.stdout.write(`${token}\n`);
