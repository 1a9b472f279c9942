import type { Firestore } from '@google-cloud/firestore';
import type { DemoSwitches, SinkBehaviour } from '../ports.js';

/** The local webhook stand-in's `PUT /behaviour`, for the sellers whose webhooks point at it. */
export class WebhookSinkSwitches implements DemoSwitches {
  constructor(
    private readonly sinkUrl: string,
    private readonly db: Firestore,
  ) {}

  async sellers(): Promise<{ id: string; name: string }[]> {
    const snapshot = await this.db.collection('sellers').get();
    return snapshot.docs
      .map((d) => ({ id: d.id, ...(d.data() as { name: string; webhookUrl?: string }) }))
      .filter((s) => s.webhookUrl?.startsWith(this.sinkUrl))
      .map(({ id, name }) => ({ id, name }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  async behaviours(): Promise<Record<string, SinkBehaviour>> {
    const response = await fetch(`${this.sinkUrl}/behaviour`);
    if (!response.ok) throw new Error(`the webhook stand-in answered ${response.status}`);
    return ((await response.json()) as { behaviours: Record<string, SinkBehaviour> }).behaviours;
  }

  async set(sellerId: string, behaviour: SinkBehaviour): Promise<void> {
    const response = await fetch(`${this.sinkUrl}/behaviour`, {
      method: 'PUT',
      body: JSON.stringify({ sellerId, ...behaviour }),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the webhook stand-in answered ${response.status}`);
  }
}
