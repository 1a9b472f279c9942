import { Module, syncBuiltinESMExports } from 'node:module';
import process from 'node:process';
import type { InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';

/**
 * OpenTelemetry instrumentations applied by hand to modules the service has in hand, instead of
 * through OpenTelemetry's require hook.
 *
 * Written here because OpenTelemetry offers no other way: an instrumentation, once constructed,
 * installs require-in-the-middle over every `require` in the process (one hook per copy of
 * `@opentelemetry/instrumentation`, and npm installs one per instrumentation), whatever the
 * module's name. Each require is then resolved twice. That cost 190 ms of every cold start while
 * express's packages loaded, and 150–170 µs instead of 60–90 µs on each of the Google clients'
 * requires per call (docs/benchmarks.md). A hook sees nothing inside a bundle either, where
 * express is no module of its own. The instrumentations' module definitions
 * (`getModuleDefinitions`, public) are what the hook would have applied; they patch the same
 * objects here.
 */

/** Instrumentations, constructed disabled and with the require hooks they install removed. */
export function withoutRequireHooks<T>(build: () => T): T {
  const require = Object.getOwnPropertyDescriptor(Module.prototype, 'require');
  const getBuiltinModule = Object.getOwnPropertyDescriptor(process, 'getBuiltinModule');
  try {
    return build();
  } finally {
    if (require) Object.defineProperty(Module.prototype, 'require', require);
    if (getBuiltinModule) Object.defineProperty(process, 'getBuiltinModule', getBuiltinModule);
  }
}

/** An instrumentation with the module definitions it patches. */
interface ModuleInstrumentation {
  instrumentationName: string;
  getModuleDefinitions(): InstrumentationModuleDefinition[];
}

/**
 * Patches each module `instrument` defines with the exports given under its name, as its
 * require hook would on the first `require`. Node's own modules' ES module bindings are brought in
 * line afterwards, so that `import { request } from 'node:http'` sees the patched function too.
 * Returns what takes the patches off again.
 */
export function instrument(
  instrumentation: ModuleInstrumentation,
  modules: Readonly<Record<string, object>>,
): () => void {
  const definitions = instrumentation.getModuleDefinitions();
  const missing = definitions.filter((d) => !modules[d.name]).map((d) => d.name);
  if (missing.length) {
    throw new Error(
      `${instrumentation.instrumentationName} instruments ${missing.join(', ')}, not given`,
    );
  }
  for (const definition of definitions) {
    const exports = modules[definition.name];
    definition.moduleExports = (definition.patch?.(exports) as unknown) ?? exports;
  }
  syncBuiltinESMExports();
  return () => {
    for (const definition of definitions) definition.unpatch?.(definition.moduleExports);
    syncBuiltinESMExports();
  };
}
