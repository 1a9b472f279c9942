// `npm run bundle -- <service>…`: each service as one ES module bundle, the way its image runs it.
// Plain JavaScript, so that the image's build stage runs it with node alone (no tsx).
//
// services/<service>/bundle/ gets main.mjs (the service), register.mjs (the telemetry preload),
// their shared chunks, and node_modules/ with only the packages left external, copied from the
// locked install (npm ci), with everything they depend on.
import process from 'node:process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { bundleOptions } from './bundle-plugins.mjs';

const root = join(import.meta.dirname, '..');
const services = ['order', 'notification', 'seller', 'segmentation'];

/**
 * Loaded by node at run time, not bundled: Google's Firestore and Pub/Sub clients, as google-gax
 * reads its proto files from beside its own modules (`__dirname`), which no bundle keeps; and
 * import-in-the-middle, which OpenTelemetry's instrumentation package requires by name and
 * resolves its own files from (nothing here uses it: the instrumentations are applied by hand,
 * libs/telemetry/src/instrument.ts). Express is bundled: the preload instruments the bundle's
 * express object itself.
 *
 * And the CommonJS packages a service loads with `import()` when first needed (undici for the
 * seller's webhooks, google-auth-library for the telemetry exports): esbuild makes such a package
 * a chunk whose only export is `default`, where node gives its named exports too, so
 * `const { Agent } = await import('undici')` finds nothing in a bundle. Left to node, the bundle
 * imports them as the sources do; each bundle gets those its code imports.
 *
 * And iconv-lite, which express's body parsers require as they load but whose character tables
 * (490 KB, two fifths of the bundle) only a body's first decode reads: in the bundle every start
 * read and compiled them; from node_modules it loads its index, and the tables with the first
 * body (5–10 ms less a start, docs/benchmarks.md, cold start).
 */
const loadedByName = ['import-in-the-middle', '@google-cloud/firestore', '@google-cloud/pubsub'];
const importedLater = ['google-auth-library', 'undici', 'iconv-lite'];
const external = [...loadedByName, ...importedLater];

/**
 * Files a service serves as they are, resolved by name from beside the bundle: the order service's
 * API reference page (`GET /docs`) runs Redoc's standalone bundle, which has its dependencies
 * built in, so only that file and its package's manifest are copied.
 */
const servedFiles = { order: ['redoc/bundles/redoc.standalone.js'] };

const wanted = process.argv.slice(2);
const unknown = wanted.filter((s) => !services.includes(s));
if (unknown.length) {
  process.stderr.write(`unknown service ${unknown.join(', ')}; one of ${services.join(', ')}\n`);
  process.exit(2);
}

for (const service of wanted.length ? wanted : services) {
  const outdir = join(root, 'services', service, 'bundle');
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      main: `services/${service}/src/main.ts`,
      register: 'libs/telemetry/src/register.ts',
    },
    ...bundleOptions,
    splitting: true,
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    external,
    sourcemap: 'linked',
    legalComments: 'linked',
    metafile: true,
  });
  const needed = externalsNeeded(result.metafile);
  const copied = copyExternals(service, outdir, needed);
  requireGaxFallbackOnce(outdir);
  for (const file of servedFiles[service] ?? []) copyServedFile(service, outdir, file);
  writeFileSync(join(outdir, 'package.json'), `${JSON.stringify({ type: 'module' })}\n`);
  const bytes = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.mjs'))
    .reduce((sum, [, output]) => sum + output.bytes, 0);
  process.stdout.write(
    `${service}: ${(bytes / 1024).toFixed(0)} KiB of JavaScript; node_modules: ${needed.join(', ')}` +
      ` and what they need, ${copied.length} packages\n`,
  );
}

/**
 * Firestore's client calls `require('google-gax/fallback')` on every call with retry codes
 * (`createCallOptions`), and node caches no resolution made through a package's `exports`: each
 * call stats the `node_modules` directories and reads `package.json` again, 5 % of the order
 * service's CPU under load (docs/benchmarks.md, saturation). The copy beside the bundle requires
 * it once, on first use as before. The build fails if the client's code no longer has the call.
 */
function requireGaxFallbackOnce(outdir) {
  const call = "require('google-gax/fallback')";
  const once =
    'let orderflowGaxFallback;\n' +
    `const orderflowRequireGaxFallback = () => (orderflowGaxFallback ??= ${call});\n`;
  for (const file of ['index.js', 'util.js']) {
    const path = join(outdir, 'node_modules/@google-cloud/firestore/build/src', file);
    const source = readFileSync(path, 'utf8');
    if (!source.includes(call) || !source.startsWith('"use strict";\n')) {
      throw new Error(`${path}: no ${call} to require once; see requireGaxFallbackOnce`);
    }
    const patched = source.replaceAll(call, 'orderflowRequireGaxFallback()');
    writeFileSync(path, patched.replace('"use strict";\n', `"use strict";\n${once}`));
  }
}

/**
 * The external packages a bundle needs: those loaded by name (`createRequire`, which no metafile
 * shows) always, the others if the bundle imports them.
 */
function externalsNeeded(metafile) {
  const paths = Object.values(metafile.outputs).flatMap((output) =>
    output.imports.filter((i) => i.external).map((i) => i.path),
  );
  const imported = (name) => paths.some((p) => p === name || p.startsWith(`${name}/`));
  return [...loadedByName, ...importedLater.filter(imported)];
}

/** Copies the external packages and their dependencies, as npm ci installed them, next to the bundle. */
function copyExternals(service, outdir, names) {
  const copied = new Set();
  const visit = (name, from) => {
    const manifest = packageManifest(name, from);
    if (!manifest || copied.has(name)) return;
    copied.add(name);
    const dir = dirname(manifest);
    cpSync(dir, join(outdir, 'node_modules', name), { recursive: true, dereference: true });
    const { dependencies = {} } = JSON.parse(readFileSync(manifest, 'utf8'));
    for (const dependency of Object.keys(dependencies)) visit(dependency, dir);
  };
  for (const name of names) visit(name, join(root, 'services', service));
  return [...copied].sort();
}

/** Copies `name/path` and `name`'s package.json into the bundle's node_modules. */
function copyServedFile(service, outdir, file) {
  const [name] = file.split('/', 1);
  const from = dirname(packageManifest(name, join(root, 'services', service)));
  for (const part of ['package.json', file.slice(name.length + 1)]) {
    cpSync(join(from, part), join(outdir, 'node_modules', name, part));
  }
}

/** Where node would find `name`'s package.json from `from`; one version per name suffices here. */
function packageManifest(name, from) {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return createRequire(join(root, 'x')).resolve(`${name}/package.json`);
  }
}
