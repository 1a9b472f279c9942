export interface OnFirstUse<T extends object> {
  /** Stands for what `create` returns, which is made when one of its members is first used. */
  value: T;
  /** What `create` returned, or nothing if nothing used `value` yet. */
  created(): T | undefined;
}

/**
 * Defers making an object until it is used, while handing it out at once: adapters get their
 * client at start and the client's library loads on the first request. Methods are bound to the
 * real object, so the client never sees the stand-in as `this`.
 */
export function onFirstUse<T extends object>(create: () => T): OnFirstUse<T> {
  let target: T | undefined;
  const real = (): T => (target ??= create());
  const value = new Proxy({} as T, {
    get: (_, key) => {
      const object = real();
      const member: unknown = Reflect.get(object, key, object);
      return typeof member === 'function' ? (member as () => unknown).bind(object) : member;
    },
    set: (_, key, member) => Reflect.set(real(), key, member),
    has: (_, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  });
  return { value, created: () => target };
}
