import type { ServiceName } from '@orderflow/topology';
import type { LocalSystem } from '../local/system.js';
import { actAsOperator, type OperatorStep } from './operators.js';
import { describeFault, type Fault, type SellerFault } from './schedule.js';

/** A fault as it happened. */
export interface TimelineEntry {
  fault: Fault;
  description: string;
  startedAt: number;
  endedAt: number;
  /** Why it did not happen as planned (the process was already down), or what an operator saw. */
  note?: string;
  steps?: OperatorStep[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** What the webhook stand-in does for each seller fault; a hang outlasts any webhook timeout. */
const sellerBehaviour: Record<SellerFault, Record<string, unknown>> = {
  '5xx': { status: 503 },
  hang: { delayMs: 25_000 },
  reset: { reset: true },
  slow: { delayMs: 2_000 },
};

/** Past the notification service's SMTP socket timeout (10 s): the mail may arrive after it gave up. */
const mailHangMs = 15_000;

async function put(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'PUT', body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  await response.body?.cancel();
}

/**
 * Injects the faults on a running system, each at its time from `startedAt`, each healed at its
 * end; faults that overlap on one target stack: an emulator thaws when its last freeze ends, a
 * seller or the mail server heals when its latest fault ends, a process already down is not
 * killed again.
 */
export class FaultInjector {
  private readonly frozen = { firestore: 0, pubsub: 0 };
  private readonly down = new Set<string>();
  private readonly latest = new Map<string, Fault>();

  constructor(
    private readonly system: LocalSystem,
    private readonly mailUrl: string,
  ) {}

  async run(schedule: readonly Fault[], startedAt: number): Promise<TimelineEntry[]> {
    return Promise.all(
      schedule.map(async (fault) => {
        await sleep(startedAt + fault.atMs - Date.now());
        const started = Date.now();
        const outcome = await this.inject(fault).catch((error: unknown) => ({
          note: `failed: ${error instanceof Error ? error.message : String(error)}`,
        }));
        return {
          fault,
          description: describeFault(fault),
          startedAt: started,
          endedAt: Date.now(),
          ...outcome,
        };
      }),
    );
  }

  /** Heals what lasts the whole load: the seller that was down all along. */
  async healSeller(sellerId: string): Promise<void> {
    await put(`${this.system.urls.webhooks}/behaviour`, { sellerId, status: 200 });
  }

  async breakSeller(sellerId: string): Promise<void> {
    await put(`${this.system.urls.webhooks}/behaviour`, { sellerId, ...sellerBehaviour['5xx'] });
  }

  private async inject(fault: Fault): Promise<Partial<TimelineEntry>> {
    switch (fault.kind) {
      case 'kill':
        return this.kill(fault.instance, fault.downMs);
      case 'freeze':
        await this.freeze(fault.emulator, fault.durationMs);
        return {};
      case 'seller':
        await this.lasting(fault, `seller:${fault.sellerId}`, fault.durationMs, (on) =>
          put(`${this.system.urls.webhooks}/behaviour`, {
            sellerId: fault.sellerId,
            ...(on ? sellerBehaviour[fault.mode] : { status: 200 }),
          }),
        );
        return {};
      case 'mail':
        await this.lasting(fault, 'mail', fault.durationMs, (on) =>
          put(
            `${this.mailUrl}/behaviour`,
            on ? (fault.mode === 'refuse' ? { refuse: true } : { delayMs: mailHangMs }) : {},
          ),
        );
        return {};
      case 'operator':
        return { steps: await actAsOperator(this.system.config) };
    }
  }

  private async kill(instance: string, downMs: number): Promise<Partial<TimelineEntry>> {
    if (this.down.has(instance)) return { note: 'already down: not killed again' };
    this.down.add(instance);
    try {
      await this.system.stopService(instance, 'SIGKILL');
      await sleep(downMs);
      const service = instance.split('#')[0] as ServiceName;
      await this.system.startService(service, undefined, instance);
    } finally {
      this.down.delete(instance);
    }
    return {};
  }

  private async freeze(emulator: 'firestore' | 'pubsub', durationMs: number): Promise<void> {
    if (this.frozen[emulator]++ === 0) this.system.freezeEmulator(emulator, true);
    await sleep(durationMs);
    if (--this.frozen[emulator] === 0) this.system.freezeEmulator(emulator, false);
  }

  /** A fault that holds until its end, unless a later one on the same target took over. */
  private async lasting(
    fault: Fault,
    target: string,
    durationMs: number,
    set: (on: boolean) => Promise<void>,
  ): Promise<void> {
    this.latest.set(target, fault);
    await set(true);
    await sleep(durationMs);
    if (this.latest.get(target) !== fault) return;
    this.latest.delete(target);
    await set(false);
  }
}
