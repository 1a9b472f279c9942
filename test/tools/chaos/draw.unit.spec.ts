import { expect } from 'chai';
import { Random } from '@orderflow/tools/chaos/random';
import { drawSchedule, killable } from '@orderflow/tools/chaos/schedule';
import { drawWorkload } from '@orderflow/tools/chaos/workload';

const sellers = ['s1', 's2', 's3'];
const workloadOf = (seed: number, run = 'r') =>
  drawWorkload(Random.of(seed).stream(1), { run, rate: 3, loadMs: 60_000, sinkUrl: 'http://sink' });

describe('chaos: what a seed draws', () => {
  it('the same seed draws the same schedule and the same load; another seed others', () => {
    expect(drawSchedule(Random.of(7).stream(2), 600_000, sellers)).to.deep.equal(
      drawSchedule(Random.of(7).stream(2), 600_000, sellers),
    );
    expect(workloadOf(7)).to.deep.equal(workloadOf(7));
    expect(drawSchedule(Random.of(8).stream(2), 600_000, sellers)).to.not.deep.equal(
      drawSchedule(Random.of(7).stream(2), 600_000, sellers),
    );
  });

  it('the run only renames: its ids differ, its decisions do not', () => {
    const [a, b] = [workloadOf(3, 'a'), workloadOf(3, 'b')];
    expect(a.orders.map((o) => [o.atMs, o.items.length, o.backoffMs])).to.deep.equal(
      b.orders.map((o) => [o.atMs, o.items.length, o.backoffMs]),
    );
    expect(a.orders[0]?.key).to.not.equal(b.orders[0]?.key);
  });

  it('every kind of fault at least once, within the load, on the sellers given', () => {
    const loadMs = 120_000;
    const schedule = drawSchedule(Random.of(1).stream(2), loadMs, sellers);
    const killed = schedule.flatMap((f) => (f.kind === 'kill' ? [f.instance] : []));
    expect(killed).to.include.members([...killable]);
    const frozen = schedule.flatMap((f) => (f.kind === 'freeze' ? [f.emulator] : []));
    expect(frozen).to.include.members(['firestore', 'pubsub']);
    const seller = schedule.flatMap((f) => (f.kind === 'seller' ? [f.mode] : []));
    expect(seller).to.include.members(['5xx', 'hang', 'reset', 'slow']);
    expect(schedule.filter((f) => f.kind === 'seller').every((f) => sellers.includes(f.sellerId)))
      .to.be.true;
    expect(schedule.some((f) => f.kind === 'operator')).to.be.true;
    expect(schedule.every((f) => f.atMs >= 0 && f.atMs < loadMs)).to.be.true;
    expect(schedule.map((f) => f.atMs)).to.deep.equal(
      [...schedule.map((f) => f.atMs)].sort((x, y) => x - y),
    );
  });

  it('a longer load holds more faults and a longer Pub/Sub freeze', () => {
    const longest = (loadMs: number) =>
      Math.max(
        ...[1, 2, 3, 4, 5].flatMap((seed) =>
          drawSchedule(Random.of(seed).stream(2), loadMs, sellers).flatMap((f) =>
            f.kind === 'freeze' && f.emulator === 'pubsub' ? [f.durationMs] : [],
          ),
        ),
      );
    expect(drawSchedule(Random.of(1).stream(2), 1_800_000, sellers).length).to.be.greaterThan(
      drawSchedule(Random.of(1).stream(2), 120_000, sellers).length,
    );
    expect(longest(1_800_000)).to.be.greaterThan(60_000);
    expect(longest(60_000)).to.be.at.most(18_000);
  });

  it('orders: lines of distinct products, keys unique, arrivals within the load', () => {
    const { orders, catalog } = workloadOf(11);
    const products = new Set(catalog.products.map((p) => p.id));
    expect(new Set(orders.map((o) => o.key)).size).to.equal(orders.length);
    for (const order of orders) {
      const ids = order.items.map((i) => i.productId);
      expect(new Set(ids).size).to.equal(ids.length);
      expect(ids.every((id) => products.has(id))).to.be.true;
      expect(order.atMs).to.be.within(0, 60_000);
      expect(order.backoffMs.length).to.be.within(1, 6);
    }
  });
});
