import type { BuildOptions, Plugin } from 'esbuild';

export const onePerVersion: Plugin;
export const builtinsByRequire: Plugin;
export const mimeMapsOnFirstUse: Plugin;
export const largeJsonByParse: Plugin;
export const bundleOptions: BuildOptions;
