import type { Firestore } from '@google-cloud/firestore';
import type { SegmentLabel } from '@orderflow/segmentation/domain/segment';
import type { SegmentCounts, SegmentDesk } from '../ports.js';

// Keyed by the type, so the compiler insists on every label, in the chart's order.
const labels = Object.keys({
  new: null,
  returning: null,
  loyal: null,
  vip: null,
} satisfies Record<SegmentLabel, null>);

/** One count aggregation per segment: Firestore bills one read per 1,000 entries counted. */
export class FirestoreSegments implements SegmentDesk {
  constructor(private readonly db: Firestore) {}

  async distribution(): Promise<SegmentCounts> {
    const segments = this.db.collection('customerSegments');
    const counts = await Promise.all(
      labels.map(async (label) => {
        const snapshot = await segments.where('segment', '==', label).count().get();
        return [label, snapshot.data().count] as const;
      }),
    );
    return Object.fromEntries(counts);
  }
}
