import { Module } from 'node:module';
import { isWrapped } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { expect } from 'chai';
import express from 'express';
import { instrument, withoutRequireHooks } from '@orderflow/telemetry/instrument';

describe('instrumentations applied by hand', () => {
  const moduleRequire = () => Object.getOwnPropertyDescriptor(Module.prototype, 'require')!;

  it('constructing one installs a require hook, which withoutRequireHooks removes', () => {
    const plain = moduleRequire();
    try {
      new HttpInstrumentation({ enabled: false });
      expect(moduleRequire().value).not.to.equal(plain.value);
    } finally {
      Object.defineProperty(Module.prototype, 'require', plain);
    }
    withoutRequireHooks(() => [new HttpInstrumentation({ enabled: false })]);
    expect(moduleRequire().value).to.equal(plain.value);
  });

  it("patches the module objects it is given with the instrumentation's own definitions", () => {
    const instrumentation = withoutRequireHooks(
      () => new ExpressInstrumentation({ enabled: false }),
    );
    expect(isWrapped(express.application['use'])).to.equal(false);
    const unpatch = instrument(instrumentation, { express });
    try {
      expect(isWrapped(express.application['use'])).to.equal(true);
      expect(isWrapped((express.Router.prototype as { route: unknown }).route)).to.equal(true);
    } finally {
      unpatch();
    }
    expect(isWrapped(express.application['use'])).to.equal(false);
  });

  it('names a module it instruments that was not given, and patches none', () => {
    const instrumentation = withoutRequireHooks(() => new HttpInstrumentation({ enabled: false }));
    const http = { request: () => undefined, get: () => undefined };
    expect(() => instrument(instrumentation, { http })).to.throw(/instruments https, not given/);
    expect(isWrapped(http.request)).to.equal(false);
  });
});
