/**
 * Which versions of a seller's webhook secret sign its webhooks. After a rotation the previous
 * version signs beside the new one until `until`, so the seller can switch without losing one.
 */
export interface SecretRotation {
  version: number;
  previous?: { version: number; until: Date } | undefined;
}

/** A seller that was never rotated signs with version 1. */
export const firstSecret: SecretRotation = { version: 1 };

/** The current version first, then the previous one while its overlap lasts. */
export function signingVersions(rotation: SecretRotation, now: Date): number[] {
  const { version, previous } = rotation;
  return previous && now < previous.until ? [version, previous.version] : [version];
}

/**
 * The next version, the current one kept for `overlapMs` (0: dropped at once, for a secret
 * that leaked). A version still overlapping from an earlier rotation stops now.
 */
export function rotate(rotation: SecretRotation, now: Date, overlapMs: number): SecretRotation {
  const until = new Date(now.getTime() + overlapMs);
  return {
    version: rotation.version + 1,
    ...(overlapMs > 0 ? { previous: { version: rotation.version, until } } : {}),
  };
}
