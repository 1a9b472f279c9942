/** A campaign `npm test` replays, and what it found when it was added. */
export interface ChaosSeed {
  seed: number;
  minutes: number;
  rate: number;
  found: string;
}

/**
 * The campaigns `npm test` replays (test/system/chaos.e2e.spec.ts): the fixed short one, and every
 * seed that ever found a defect, with what it found, so that a fix stays fixed.
 */
export const chaosSeeds: readonly ChaosSeed[] = [
  {
    seed: 1,
    minutes: 1,
    rate: 2,
    found:
      'on main eac5597 and 771a463 (before the reconciler): deliveries left pending or retrying ' +
      'with no command to move them, three minutes after the load and three after the ' +
      'walk-through (65, 48 and 63 of about 318 not done; up to 38 orders without their ' +
      'confirmation mail, up to 36 seller parts without a webhook, customers counted short), ' +
      'after a notification kill, the mail server refusing then hanging, sellers resetting or ' +
      'hanging',
  },
];
