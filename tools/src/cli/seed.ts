import { readFileSync } from 'node:fs';
import { createFirestore } from '@orderflow/platform';
import { parseCatalog, upsertCatalog } from '../shared/catalog.js';
import { fail, parseCli } from './args.js';
import { target } from './target.js';

const usage = 'usage: npm run seed -- <catalog.json>';
const { positionals } = parseCli({ allowPositionals: true, options: {} }, usage);
const [file] = positionals;
if (!file || positionals.length > 1) fail(usage, 2);

let catalog;
try {
  catalog = parseCatalog(JSON.parse(readFileSync(file, 'utf8')));
} catch (error) {
  fail(`${file}: ${error instanceof Error ? error.message : String(error)}`, 2);
}
const config = target();
const firestore = createFirestore(config);
try {
  await upsertCatalog(firestore, catalog);
  process.stdout.write(
    `upserted ${catalog.sellers.length} sellers and ${catalog.products.length} products into ${config.GOOGLE_CLOUD_PROJECT}\n`,
  );
} finally {
  await firestore.terminate();
}
