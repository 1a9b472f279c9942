import { appendFileSync } from 'node:fs';
import { expect } from 'chai';
import { runCampaign } from '@orderflow/tools/chaos/campaign';
import { reportText } from '@orderflow/tools/chaos/report';
import { chaosSeeds } from './chaos-seeds.js';
import { localSystem, testLogPath } from './fixture.js';

/**
 * The fault campaign (`npm run chaos`) on the test system, short: load and faults for a minute or
 * so, then recovery as the README's walk-through tells it, and the exact audit of every order.
 */
describe('chaos: combined faults under load, then an exact audit', () => {
  for (const { seed, minutes, rate } of chaosSeeds) {
    it(`seed ${seed} (${minutes} min at ${rate}/s): every promise holds for every order`, async function () {
      this.timeout(minutes * 60_000 + 600_000);
      const report = await runCampaign(
        localSystem(),
        { seed, minutes, rate, recovery: { timeoutMs: 240_000, stallMs: 90_000 } },
        (line) => appendFileSync(testLogPath, `[chaos] ${line}\n`),
      );
      const broken = report.audit.filter((l) => l.violation).map((l) => l.check);
      expect(broken, reportText(report)).to.deep.equal([]);
    });
  }
});
