import { createRequire } from 'node:module';

/**
 * Express, loaded with `require` rather than `import`: OpenTelemetry's Express instrumentation
 * patches what `require` returns through its require hook, where an `import` would need a module
 * loader hook as well (import-in-the-middle), which sits in every later module load and require.
 * A bundle keeps express external, so that it is still required by name at run time.
 */
export const express = createRequire(import.meta.url)('express') as typeof import('express');
