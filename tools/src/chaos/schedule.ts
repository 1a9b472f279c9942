import type { Random } from './random.js';

/** One fault of the schedule, at `atMs` from the start of the load. */
export type Fault = { atMs: number } & (
  | { kind: 'kill'; instance: string; downMs: number }
  | { kind: 'freeze'; emulator: 'firestore' | 'pubsub'; durationMs: number }
  | { kind: 'seller'; sellerId: string; mode: SellerFault; durationMs: number }
  | { kind: 'mail'; mode: 'refuse' | 'hang'; durationMs: number }
  | { kind: 'operator' }
);

export type SellerFault = '5xx' | 'hang' | 'reset' | 'slow';
export type FaultKind = Fault['kind'];

/** Every process the campaign kills: each order instance and each subscriber. */
export const killable = ['order#1', 'order#2', 'notification', 'seller', 'segmentation'] as const;
const sellerFaults: readonly SellerFault[] = ['5xx', 'hang', 'reset', 'slow'];

const second = 1000;

/**
 * The faults of a load of `loadMs`, from the seed alone: each kind at least once (every process
 * killed, both emulators frozen, every seller and mail fault, an operator), then about three more
 * a minute past the second, of kinds drawn at random. The Pub/Sub freeze grows with the load, up
 * to five minutes: longer than many relay passes and the emulator's push backoff.
 */
export function drawSchedule(random: Random, loadMs: number, sellers: readonly string[]): Fault[] {
  const at = () => random.int(Math.round(loadMs * 0.05), Math.round(loadMs * 0.8));
  const longestFreezeSeconds = Math.floor(Math.max(10, Math.min((loadMs * 0.3) / second, 300)));
  const kill = (instance: string): Fault => ({
    atMs: at(),
    kind: 'kill',
    instance,
    downMs: random.int(1, 6) * second,
  });
  const freeze = (emulator: 'firestore' | 'pubsub'): Fault => ({
    atMs: at(),
    kind: 'freeze',
    emulator,
    durationMs:
      emulator === 'firestore'
        ? random.int(2, 8) * second
        : random.int(5, longestFreezeSeconds) * second,
  });
  const seller = (mode: SellerFault): Fault => ({
    atMs: at(),
    kind: 'seller',
    sellerId: random.pick(sellers),
    mode,
    durationMs: random.int(10, 40) * second,
  });
  const mail = (mode: 'refuse' | 'hang'): Fault => ({
    atMs: at(),
    kind: 'mail',
    mode,
    durationMs: random.int(10, 30) * second,
  });
  const operator = (): Fault => ({ atMs: at(), kind: 'operator' });
  const draw: Record<FaultKind, () => Fault> = {
    kill: () => kill(random.pick(killable)),
    freeze: () => freeze(random.pick(['firestore', 'pubsub'] as const)),
    seller: () => seller(random.pick(sellerFaults)),
    mail: () => mail(random.pick(['refuse', 'hang'] as const)),
    operator,
  };
  const everyKind: Fault[] = [
    ...killable.map(kill),
    freeze('firestore'),
    freeze('pubsub'),
    ...sellerFaults.map(seller),
    mail('refuse'),
    mail('hang'),
    operator(),
  ];
  const kinds = Object.keys(draw) as FaultKind[];
  const extra = Math.max(0, Math.round((3 * (loadMs - 120 * second)) / (60 * second)));
  const more = Array.from({ length: extra }, () => draw[random.pick(kinds)]());
  return [...everyKind, ...more].sort((a, b) => a.atMs - b.atMs);
}

/** How long a fault lasts, for the timeline. */
export const faultDurationMs = (fault: Fault): number =>
  fault.kind === 'kill' ? fault.downMs : fault.kind === 'operator' ? 0 : fault.durationMs;

/** The fault as a line of the timeline. */
export function describeFault(fault: Fault): string {
  switch (fault.kind) {
    case 'kill':
      return `SIGKILL ${fault.instance}, restarted after ${fault.downMs / second} s`;
    case 'freeze':
      return `${fault.emulator} emulator frozen (SIGSTOP) ${fault.durationMs / second} s`;
    case 'seller':
      return `seller ${fault.sellerId} endpoint ${fault.mode} ${fault.durationMs / second} s`;
    case 'mail':
      return `mail server ${fault.mode === 'refuse' ? 'refuses (451)' : 'hangs'} ${fault.durationMs / second} s`;
    case 'operator':
      return 'operator: dlq replay --all, outbox requeue --all';
  }
}
