import { expect } from 'chai';
import { metricNames } from '@orderflow/topology';
import { telemetryConfig } from '@orderflow/telemetry/config';
import { runProgram, runStack } from './fixture.js';
import type { Declarations } from './mocks.js';
import { promqlErrorAt } from './promql.js';
import { envOf, memberOf, pushAccountId, relayAccountId } from './views.js';

const services = ['order', 'notification', 'seller', 'segmentation'];
const writerRoles = ['roles/telemetry.tracesWriter', 'roles/monitoring.metricWriter'];

/** The plain environment of a service, as its container would see it. */
function plainEnvironment(declared: Declarations, service: string): Record<string, string> {
  return Object.fromEntries(
    [...envOf(declared, service).values()].flatMap((e) =>
      e.value === undefined ? [] : [[e.name, e.value]],
    ),
  );
}

function prometheusPolicies(declared: Declarations) {
  return declared
    .ofType('gcp:monitoring/alertPolicy:AlertPolicy')
    .flatMap((p) =>
      p.inputs.conditions.flatMap((c) =>
        c.conditionPrometheusQueryLanguage
          ? [{ policy: p, ...c.conditionPrometheusQueryLanguage }]
          : [],
      ),
    );
}

function dashboardOf(declared: Declarations) {
  const [dashboard, ...others] = declared.ofType('gcp:monitoring/dashboard:Dashboard');
  expect(others).to.deep.equal([]);
  return JSON.parse(dashboard!.inputs.dashboardJson) as {
    mosaicLayout: {
      columns: number;
      tiles: {
        xPos: number;
        yPos: number;
        width: number;
        height: number;
        widget: {
          title: string;
          xyChart: {
            dataSets: { timeSeriesQuery: { prometheusQuery: string } }[];
            thresholds?: { value: number }[];
          };
        };
      }[];
    };
  };
}

describe('infra: telemetry', () => {
  let declared: Declarations;
  before(async () => {
    ({ declared } = await runProgram());
  });

  it('enables the Telemetry API and Cloud Trace, which must be on for traces to be kept', () => {
    const apis = declared.ofType('gcp:projects/service:Service').map((s) => s.inputs.service);
    expect(apis).to.include.members(['telemetry.googleapis.com', 'cloudtrace.googleapis.com']);
  });

  it("lets each service's own identity write traces and metrics, and no other identity", () => {
    const writers = declared
      .ofType('gcp:projects/iAMMember:IAMMember')
      .filter((g) => writerRoles.includes(g.inputs.role))
      .map((g) => [g.inputs.project, g.inputs.role, g.inputs.member, g.inputs.condition]);
    expect(writers).to.have.deep.members(
      services.flatMap((s) =>
        writerRoles.map((role) => [
          'acme-orders',
          role,
          memberOf(declared, `orderflow-${s}`),
          undefined,
        ]),
      ),
    );
    const members = writers.map(([, , member]) => member);
    expect(members).to.not.include(memberOf(declared, pushAccountId));
    expect(members).to.not.include(memberOf(declared, relayAccountId));
  });

  it('has every service export to the Telemetry API as itself, in settings its preload accepts', () => {
    for (const service of services) {
      const env = plainEnvironment(declared, service);
      // What Cloud Run adds to every container.
      const parsed = telemetryConfig.parse({ ...env, K_SERVICE: service, K_REVISION: 'r1' });
      expect(parsed, service).to.deep.include({
        OTEL_SERVICE_NAME: service,
        SERVICE_VERSION: '3f9c2ab',
        TELEMETRY_OTLP_URL: 'https://telemetry.googleapis.com',
        TELEMETRY_AUTH: 'google',
        GOOGLE_CLOUD_PROJECT: 'acme-orders',
        CLOUD_REGION: 'europe-west1',
        TRACE_SAMPLE_RATIO: 0.1,
        METRICS_EXPORT_INTERVAL_MS: 60_000,
      });
    }
  });

  it('shows every metric the services export on the dashboard, in PromQL that parses, without overlapping tiles', () => {
    const { tiles, columns } = dashboardOf(declared).mosaicLayout;
    const queries = tiles.flatMap((t) =>
      t.widget.xyChart.dataSets.map((d) => d.timeSeriesQuery.prometheusQuery),
    );
    for (const name of Object.values(metricNames)) {
      expect(
        queries.some((q) => q.includes(name)),
        name,
      ).to.be.true;
    }
    for (const query of queries) expect(promqlErrorAt(query), query).to.equal(undefined);
    const cells = new Set<string>();
    for (const tile of tiles) {
      expect(tile.xPos + tile.width, tile.widget.title).to.be.at.most(columns);
      for (let x = tile.xPos; x < tile.xPos + tile.width; x++) {
        for (let y = tile.yPos; y < tile.yPos + tile.height; y++) {
          expect(cells.has(`${x},${y}`), tile.widget.title).to.be.false;
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('alerts on effect lag per subscriber and on the outbox age, at the configured thresholds', () => {
    const conditions = prometheusPolicies(declared);
    const on = (metric: string) => conditions.filter((c) => c.query.includes(metric));
    const [lag, ...moreLag] = on(`${metricNames.effectLag}_bucket`);
    const [outbox, ...moreOutbox] = on(metricNames.outboxPendingAge);
    expect([moreLag, moreOutbox]).to.deep.equal([[], []]);
    expect(lag?.query).to.match(/^histogram_quantile\(0\.95, sum by \(subscriber, le\).* > 300$/);
    expect(outbox?.query).to.match(/ > 300$/);
    for (const condition of conditions) {
      expect(promqlErrorAt(condition.query), condition.query).to.equal(undefined);
      // The metrics appear only once the services export them, after the first deployment.
      expect(condition.disableMetricValidation, condition.query).to.be.true;
      expect(condition.policy.inputs.notificationChannels).to.have.length(1);
    }
  });

  it('draws the alert thresholds on the lag and outbox charts', () => {
    const thresholds = dashboardOf(declared).mosaicLayout.tiles.flatMap((t) =>
      (t.widget.xyChart.thresholds ?? []).map((th) => [
        t.widget.xyChart.dataSets[0]?.timeSeriesQuery.prometheusQuery,
        th.value,
      ]),
    );
    expect(thresholds).to.have.length(2);
    expect(thresholds.map(([, value]) => value)).to.deep.equal([300, 300]);
  });

  describe('with a stack that samples and alerts otherwise', () => {
    let other: Declarations;
    before(async () => {
      other = await runStack({
        traceSamplePercent: '5',
        metricsExportIntervalMs: '30000',
        effectLagAlertSeconds: '120',
        outboxAgeAlertSeconds: '90',
      });
    });

    it('passes the sampling ratio and export interval to every service', () => {
      for (const service of services) {
        const env = plainEnvironment(other, service);
        expect([env.TRACE_SAMPLE_RATIO, env.METRICS_EXPORT_INTERVAL_MS], service).to.deep.equal([
          '0.05',
          '30000',
        ]);
      }
    });

    it('moves the alerts and the lines on the dashboard to the new thresholds', () => {
      const queries = prometheusPolicies(other).map((c) => c.query);
      expect(queries.filter((q) => q.includes(metricNames.effectLag))[0]).to.match(/ > 120$/);
      expect(queries.filter((q) => q.includes(metricNames.outboxPendingAge))[0]).to.match(/ > 90$/);
      const values = dashboardOf(other).mosaicLayout.tiles.flatMap((t) =>
        (t.widget.xyChart.thresholds ?? []).map((th) => th.value),
      );
      expect(values).to.have.members([120, 90]);
    });
  });
});
