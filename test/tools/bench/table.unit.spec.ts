import { expect } from 'chai';
import { keyFigures } from '@orderflow/tools/bench/results';
import {
  formatTable,
  keyFigureLines,
  recoveryTable,
  resultsTable,
} from '@orderflow/tools/bench/table';
import { aRun } from './support.js';

describe('bench table', () => {
  it('pads text to the left and numbers to the right, under a rule', () => {
    expect(
      formatTable(
        ['name', 'p50 ms'],
        [
          ['floor', '7.5'],
          ['event-driven', '12'],
        ],
      ).split('\n'),
    ).to.deep.equal([
      'name          p50 ms',
      '------------  ------',
      'floor            7.5',
      'event-driven      12',
    ]);
  });

  it('shows a row per run, with what is not done about its effects', () => {
    const effects = {
      orders: 240,
      done: 230,
      deadLettered: 4,
      unfinished: 6,
      completionMs: { count: 230, p50: 400, p95: 700, p99: 900, max: 1000 },
      lastDoneAt: 0,
    };
    const [, , row] = resultsTable([
      aRun({ scenario: 'seller-failing', requests: 240, successes: 239, effects }),
    ]).split('\n');
    expect(row?.split(/\s{2,}/)).to.deep.equal([
      'event-driven',
      'seller-failing',
      '8/s',
      '240',
      '239',
      '1',
      '99.6%',
      '8',
      '50',
      '100',
      '150',
      '200',
      '230/240, 4 dead-lettered, 6 open',
      '400',
      '700',
      '1000',
    ]);
  });

  it('states each target with its verdict', () => {
    const lines = keyFigureLines(
      keyFigures([
        aRun({ architecture: 'floor', step: 'transaction+publish', p50: 40 }),
        aRun({ p50: 80 }),
      ]),
    );
    expect(lines).to.deep.equal([
      'floor ratio: event-driven p50 80 ms / floor (transaction then publish) p50 40 ms = 2× (target ≤ 1.3×: MISSED)',
    ]);
  });

  it('states the tracing overhead with its rounds, and shows each side in the table', () => {
    const runs = [
      aRun({ tracing: 'on', round: 1, p50: 25.4 }),
      aRun({ tracing: 'off', round: 1, p50: 25 }),
      aRun({ tracing: 'off', round: 2, p50: 25 }),
      aRun({ tracing: 'on', round: 2, p50: 25.8 }),
      aRun({ tracing: 'all', round: 1, p50: 27 }),
      aRun({ tracing: 'all', round: 2, p50: 28 }),
    ];
    expect(keyFigureLines(keyFigures(runs))).to.deep.equal([
      'tracing overhead, as deployed: median of 2 rounds (0.4 ms, 0.8 ms): order p50 traced 25.6 ms, untraced 25 ms: +0.6 ms, 1.024× (target ≤ 1 ms or ≤ 1.05×: met)',
      'tracing overhead, every order sampled: median of 2 rounds (2 ms, 3 ms): order p50 traced 27.5 ms, untraced 25 ms: +2.5 ms, 1.1× (target ≤ 1 ms or ≤ 1.05×: MISSED)',
    ]);
    const pooled = [aRun({ tracing: 'on', p50: 25.5 }), aRun({ tracing: 'off', p50: 25.1 })];
    expect(keyFigureLines(keyFigures([...runs, ...pooled]))[0]).to.equal(
      'tracing overhead, as deployed: 2 rounds pooled (each: 0.4 ms, 0.8 ms): order p50 traced 25.5 ms, untraced 25.1 ms: +0.4 ms, 1.016× (target ≤ 1 ms or ≤ 1.05×: met)',
    );
    const table = resultsTable(runs);
    expect(table).to.include('healthy, untraced, round 2');
    expect(table).to.include('healthy, traced as deployed, round 1');
    expect(table).to.include('healthy, every order traced, round 2');
  });

  it('states the recovery after the sellers’ outage, and missed when an order was left retrying', () => {
    const recovery = {
      orders: 240,
      doneWithoutReplay: 130,
      deadLettered: 110,
      stuck: 0,
      replayed: 110,
      replayAfterSeconds: 12.5,
      seconds: 16.2,
      open: 0,
    };
    const runs = [aRun({ scenario: 'seller-failing', recovery })];
    expect(keyFigureLines(keyFigures(runs))).to.include(
      "recovery after the sellers' outage: 240 orders, 130 done by the retries, 110 dead-lettered (110 dead letters replayed 12.5 s after the mend); every order done 16.2 s after the mend (target: none left retrying, all done: met)",
    );
    expect(
      recoveryTable(runs)
        .split('\n')[2]
        ?.split(/\s{2,}/),
    ).to.deep.equal(['event-driven', '240', '130', '110', '0', '110', '12.5', '16.2', '0']);
    const stuck = { ...recovery, doneWithoutReplay: 120, stuck: 10, seconds: undefined, open: 10 };
    expect(
      keyFigureLines(keyFigures([aRun({ scenario: 'seller-failing', recovery: stuck })])),
    ).to.include(
      "recovery after the sellers' outage: 240 orders, 120 done by the retries, 110 dead-lettered (110 dead letters replayed 12.5 s after the mend); every order done never (10 open) (target: none left retrying (10 were), all done: MISSED)",
    );
  });
});
