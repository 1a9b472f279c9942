import { readFileSync } from 'node:fs';
import { createFirestore } from '@orderflow/platform';
import { parseCatalog, upsertCatalog } from '../shared/catalog.js';
import { fail, parseCli } from './args.js';
import { target } from './target.js';

const usage = 'usage: npm run seed -- <catalog.json>';
const { positionals } = parseCli({ allowPositionals: true, options: {} }, usage);
const [file] = positionals;
if (!file || positionals.length > 1) fail(usage, 2);

const config = target();
// The emulators' sellers are the local stand-in on http://127.0.0.1; a real project's are public.
const targets = config.FIRESTORE_EMULATOR_HOST ? 'any' : 'public';
let catalog;
try {
  catalog = parseCatalog(JSON.parse(readFileSync(file, 'utf8')), targets);
} catch (error) {
  fail(`${file}: ${error instanceof Error ? error.message : String(error)}`, 2);
}
const firestore = createFirestore(config);
try {
  await upsertCatalog(firestore, catalog);
  process.stdout.write(
    `upserted ${catalog.sellers.length} sellers and ${catalog.products.length} products into ${config.GOOGLE_CLOUD_PROJECT}\n`,
  );
} finally {
  await firestore.terminate();
}
