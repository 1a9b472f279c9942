// The esbuild options and plugins of `npm run bundle` (tools/bundle.mjs): plain JavaScript, like it.
import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';

/**
 * One copy of each version of a package. npm nests a copy wherever the hoisted one has another
 * version: mime-types 3.0.2 and its database four times (under express, accepts, send and
 * type-is), OpenTelemetry's core, resources and transformer once per exporter and
 * instrumentation. A bundle would carry, and every start evaluate, each copy. esbuild has no
 * option for this, so a resolver does it: a package's files resolve into the first copy of the
 * same name and version that the build met.
 */
export const onePerVersion = {
  name: 'one-copy-per-package-version',
  setup(build) {
    /** name@version → the first copy's directory, and each copy's directory → that first one. */
    const firstCopy = new Map();
    const canonical = new Map();
    const canonicalOf = (dir) => {
      if (!canonical.has(dir)) {
        const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
        const key = `${name}@${version}`;
        if (!firstCopy.has(key)) firstCopy.set(key, dir);
        canonical.set(dir, firstCopy.get(key));
      }
      return canonical.get(dir);
    };
    build.onResolve({ filter: /^[^./]/ }, async ({ path, pluginData, ...args }) => {
      if (pluginData === onePerVersion) return undefined;
      const resolved = await build.resolve(path, { ...args, pluginData: onePerVersion });
      const dir = resolved.path.match(/^.*\/node_modules\/(@[^/]+\/)?[^/]+/)?.[0];
      if (resolved.errors.length || resolved.external || !dir) return resolved;
      return { ...resolved, path: canonicalOf(dir) + resolved.path.slice(dir.length) };
    });
  },
};

/**
 * Node's own modules by `require`, as CommonJS code has them, also where an ES module imports
 * them. Node builds a module's ES namespace on its first `import`, reading every export: those
 * that load on first use load then (`util.diff` and with it assert's diff algorithm, `fs.promises`,
 * crypto's webcrypto), 10 ms of a start that touches none of them. The import is resolved to a
 * CommonJS module that requires the built-in, which esbuild leaves to node.
 */
export const builtinsByRequire = {
  name: 'node-builtins-by-require',
  setup(build) {
    build.onResolve({ filter: /^[a-z:_/]+$/ }, ({ path, kind }) =>
      kind === 'import-statement' && isBuiltin(path)
        ? { path, namespace: 'node-builtin' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'node-builtin' }, ({ path }) => ({
      contents: `module.exports = require(${JSON.stringify(path)});`,
      loader: 'js',
    }));
  },
};

/**
 * mime-types (express, type-is, accepts and send load it) fills its extension maps when loaded:
 * for each of mime-db's 2,500 types, each extension scored twice, the second time only to log
 * how the new score differs (its code says "DELETE (eventually)"), 20 ms of every start. Only a
 * lookup by extension reads them (`res.type('json')`, `req.is('json')`), and the services
 * name their types in full. In the bundle the maps are filled by the first read instead. The
 * build fails if the package's code no longer has the lines this replaces.
 */
export const mimeMapsOnFirstUse = {
  name: 'mime-types-maps-on-first-use',
  setup(build) {
    const eager = [
      'exports.extensions = Object.create(null)\n',
      'exports.types = Object.create(null)\n',
      'populateMaps(exports.extensions, exports.types)\n',
    ];
    const lazy =
      'var orderflowMaps\n' +
      'function orderflowPopulated () {\n' +
      '  if (!orderflowMaps) {\n' +
      '    orderflowMaps = { extensions: Object.create(null), types: Object.create(null) }\n' +
      '    populateMaps(orderflowMaps.extensions, orderflowMaps.types)\n' +
      '  }\n' +
      '  return orderflowMaps\n' +
      '}\n' +
      "Object.defineProperty(exports, 'extensions', { enumerable: true, get: () => orderflowPopulated().extensions })\n" +
      "Object.defineProperty(exports, 'types', { enumerable: true, get: () => orderflowPopulated().types })\n";
    build.onLoad({ filter: /[/\\]mime-types[/\\]index\.js$/ }, ({ path }) => {
      const source = readFileSync(path, 'utf8');
      if (eager.some((line) => source.split(line).length !== 2)) {
        throw new Error(`${path}: not the maps this build fills lazily; see mimeMapsOnFirstUse`);
      }
      const [extensions, types, populate] = eager;
      const contents = source.replace(extensions, '').replace(types, '').replace(populate, lazy);
      return { contents, loader: 'js' };
    });
  },
};

/**
 * A large JSON file as `JSON.parse` of a string rather than the object literal esbuild makes of
 * it: V8 builds an object from JSON faster than from JavaScript, from about 10 kB
 * (v8.dev/blog/cost-of-javascript-2019#json). Here that is mime-db's 2,500 types, which every
 * start builds: 8 ms less.
 */
export const largeJsonByParse = {
  name: 'large-json-by-parse',
  setup(build) {
    build.onLoad({ filter: /\.json$/ }, ({ path }) => {
      const json = JSON.stringify(JSON.parse(readFileSync(path, 'utf8')));
      if (json.length < 10_000) return undefined;
      return { contents: `module.exports = JSON.parse(${JSON.stringify(json)});`, loader: 'js' };
    });
  },
};

/**
 * What every bundle is built with: the services' (tools/bundle.mjs), and the express app of one
 * route that the cold-start bench starts beside them (tools/src/bench/cold-start.ts).
 */
export const bundleOptions = {
  // The workspace libraries' TypeScript sources, as `tsx --conditions=source` runs them; and a
  // package's ES module build where its `exports` offer one for bundlers (OpenTelemetry's API):
  // as CommonJS, each of the 70 modules importing it would wrap its exports again at start.
  conditions: ['source', 'module'],
  bundle: true,
  platform: 'node',
  // A package's ES module build where it has one and no `exports` map chooses (of the bundled
  // ones, only OpenTelemetry's): esbuild drops what is not used (a tenth of the bundle), and a
  // package imported with `import()`, as the OTLP exporters are, keeps its named exports.
  mainFields: ['module', 'main'],
  format: 'esm',
  target: 'node24',
  plugins: [onePerVersion, builtinsByRequire, mimeMapsOnFirstUse, largeJsonByParse],
  // CommonJS packages inside an ES module bundle still call require for node's own modules.
  banner: {
    js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
  },
  // Identifiers keep their names. Renamed, a function's `name` changes, and express's router
  // names its route layers by their function's name (`handle`), by which OpenTelemetry's
  // express instrumentation tells a route from a middleware; esbuild's keepNames restores the
  // name only after the router has read it, so the order service's route spans went missing.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
};
