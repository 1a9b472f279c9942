import { createRequire } from 'node:module';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { expect } from 'chai';
import { build, type Plugin } from 'esbuild';
import { repoRoot } from '@orderflow/tools/local/paths';
import {
  builtinsByRequire,
  largeJsonByParse,
  mimeMapsOnFirstUse,
} from '../../../tools/bundle-plugins.mjs';

/** `source` bundled from `resolveDir` with `plugins`, as the service bundles are. */
async function bundled(source: string, resolveDir: string, plugins: Plugin[]): Promise<string> {
  const result = await build({
    stdin: { contents: source, resolveDir, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    plugins,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('bundle plugins', () => {
  describe('mime-types with its maps filled on first use', () => {
    // Express's copy: the version the services bundle.
    const express = join(repoRoot, 'node_modules', 'express');
    const original = createRequire(join(express, 'index.js'))('mime-types') as MimeTypes;

    interface MimeTypes {
      lookup(path: string): string | false;
      contentType(type: string): string | false;
      extension(type: string): string | false;
      types: Record<string, string>;
      extensions: Record<string, string[]>;
      /** Filled as the maps are: the extensions whose type the old scoring chose otherwise. */
      _extensionConflicts: unknown[];
    }

    async function patched(): Promise<MimeTypes> {
      const code = await bundled(
        "import mime from 'mime-types'; globalThis.mime = mime;",
        express,
        [mimeMapsOnFirstUse],
      );
      const context: { mime?: MimeTypes } = {};
      const require = createRequire(join(express, 'index.js'));
      runInNewContext(code.replace(/^export \{\s*\};?$/m, ''), { globalThis: context, require });
      return context.mime!;
    }

    it('fills nothing when loaded, and its maps on the first read', async () => {
      const mime = await patched();
      expect(original._extensionConflicts).not.to.be.empty;
      expect(mime._extensionConflicts).to.be.empty;
      expect(Object.keys(mime.types)).to.have.length(Object.keys(original.types).length);
      expect(mime._extensionConflicts).to.deep.equal(original._extensionConflicts);
    });

    it('answers every lookup as the package does', async () => {
      const mime = await patched();
      for (const name of ['json', 'html', 'file.mp4', 'a.rtf', 'xml', 'x.woff', 'unknown-ext']) {
        expect(mime.lookup(name), name).to.equal(original.lookup(name));
        expect(mime.contentType(name), name).to.equal(original.contentType(name));
      }
      expect(mime.extension('application/json')).to.equal('json');
      expect(mime.types).to.deep.equal(original.types);
      expect(mime.extensions).to.deep.equal(original.extensions);
    });
  });

  describe('node’s own modules', () => {
    it('are required, not imported, so that node builds no ES namespace of them', async () => {
      const code = await bundled(
        "import { inspect } from 'node:util'; import fs from 'fs'; console.log(inspect, fs);",
        repoRoot,
        [builtinsByRequire],
      );
      expect(code).to.match(/require\("node:util"\)/);
      expect(code).to.match(/require\("fs"\)/);
      expect(code).not.to.match(/^import .* from "(node:util|fs)"/m);
    });
  });

  describe('a large JSON file', () => {
    it('is parsed from a string, to the same data, and a small one left as it was', async () => {
      const express = join(repoRoot, 'node_modules', 'express');
      const code = await bundled(
        "import db from 'mime-db'; import pkg from './package.json'; globalThis.out = { db, pkg };",
        express,
        [largeJsonByParse],
      );
      const context: { out?: { db: unknown; pkg: unknown } } = {};
      runInNewContext(code.replace(/^export \{\s*\};?$/m, ''), { globalThis: context });
      const require = createRequire(join(express, 'index.js'));
      expect(context.out?.db).to.deep.equal(require('mime-db'));
      expect(context.out?.pkg).to.deep.equal(require('./package.json'));
      expect(code.match(/JSON\.parse\(/g)).to.have.length(1);
    });
  });
});
