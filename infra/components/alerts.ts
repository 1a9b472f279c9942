import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { deadLetterRecordedMessage, type SubscriptionPlan } from '@orderflow/topology';
import { promql } from '../metrics.js';

export interface AlertsArgs {
  email: string;
  plans: readonly SubscriptionPlan[];
  oldestUnackedAgeSeconds: number;
  /** The Cloud Run service web clients call. */
  orderService: pulumi.Input<string>;
  orderErrorRatePercent: number;
  effectLagSeconds: number;
  outboxAgeSeconds: number;
}

type Condition = Omit<gcp.types.input.monitoring.AlertPolicyCondition, 'displayName'>;

const subscriptionMetric = (metric: string, subscription: string) =>
  [
    'resource.type = "pubsub_subscription"',
    `resource.labels.subscription_id = "${subscription}"`,
    `metric.type = "pubsub.googleapis.com/subscription/${metric}"`,
  ].join(' AND ');

const runbooks = {
  deadLetters:
    'Look with `npm run -s dlq -- list --subscriber <name>`, fix the cause, then replay ' +
    '(docs/operators.md, "Dead letters, step by step").',
  effectLag:
    'The dashboard "orderflow" shows which subscriber; in Cloud Trace, its slow ' +
    '`process order-placed.v1.<subscriber>` spans show the attempts and which effect took the time.',
  redriven:
    'Pub/Sub did not bring these deliveries to their subscriber; the reconciler sent them again ' +
    '(docs/operators.md, "A delivery stays pending"). Check the push subscription and the ' +
    "subscriber's logs (`re-drove a delivery`), then `npm run -s dlq -- redrive` if any stays pending.",
  outbox:
    'Run `npm run -s outbox -- status` against the project; the order service logs ' +
    '`relay could not publish` with the reason; `outbox requeue` puts what was set aside back ' +
    '(docs/operators.md, "Pub/Sub outage: long").',
};

/** The log-based metric of recorded dead letters, by subscriber. */
export const deadLetterMetric = 'orderflow/dead_letters';

/** The log-based metric of outbox entries the relay set aside (the relay's `setAsideLogMessage`). */
export const outboxSetAsideMetric = 'orderflow/outbox_set_aside';
const outboxSetAsideLog = 'outbox entry set aside';

/**
 * Alert policies on dead letters, push backlogs, order-service errors, effect lag and the outbox,
 * sent by email. A dead letter is counted where it is recorded (a log line of the subscriber),
 * whichever way it came: from Pub/Sub's dead-letter topic, or from a subscriber's own retries
 * (the seller's webhooks).
 */
export class Alerts extends pulumi.ComponentResource {
  constructor(name: string, args: AlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:Alerts', name, {}, opts);
    const parent = { parent: this };
    const channel = new gcp.monitoring.NotificationChannel(
      `${name}-email`,
      { displayName: 'orderflow on-call', type: 'email', labels: { email_address: args.email } },
      parent,
    );
    const alert = (
      id: string,
      displayName: string,
      severity: string,
      condition: Condition,
      runbook = runbooks.deadLetters,
    ) =>
      new gcp.monitoring.AlertPolicy(
        `${name}-${id}`,
        {
          displayName,
          severity,
          combiner: 'OR',
          conditions: [{ displayName, ...condition }],
          notificationChannels: [channel.name],
          documentation: { mimeType: 'text/markdown', content: `${displayName}. ${runbook}` },
        },
        parent,
      );
    const policy = (
      id: string,
      displayName: string,
      severity: string,
      conditionThreshold: gcp.types.input.monitoring.AlertPolicyConditionConditionThreshold,
    ) => alert(id, displayName, severity, { conditionThreshold });
    // On the services' OpenTelemetry metrics. They exist only once a service has exported them:
    // the check that a condition's metric exists would refuse the first `pulumi up`.
    const prometheus = (id: string, displayName: string, query: string, runbook: string) =>
      alert(
        id,
        displayName,
        'WARNING',
        {
          conditionPrometheusQueryLanguage: {
            query,
            duration: '0s',
            evaluationInterval: '60s',
            disableMetricValidation: true,
          },
        },
        runbook,
      );

    const deadLetters = new gcp.logging.Metric(
      `${name}-dead-letters`,
      {
        name: deadLetterMetric,
        description: 'Dead letters recorded, by subscriber',
        filter: `jsonPayload.message="${deadLetterRecordedMessage}"`,
        metricDescriptor: {
          metricKind: 'DELTA',
          valueType: 'INT64',
          labels: [{ key: 'subscriber', valueType: 'STRING' }],
        },
        labelExtractors: { subscriber: 'EXTRACT(jsonPayload.subscriber)' },
      },
      parent,
    );

    for (const plan of args.plans) {
      policy(`${plan.subscriber}-dead-letters`, `${plan.subscriber}: a dead letter`, 'ERROR', {
        filter: deadLetters.name.apply((metric) =>
          [
            `metric.type = "logging.googleapis.com/user/${metric}"`,
            'resource.type = "cloud_run_revision"',
            `metric.labels.subscriber = "${plan.subscriber}"`,
          ].join(' AND '),
        ),
        comparison: 'COMPARISON_GT',
        thresholdValue: 0,
        duration: '0s',
        aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_SUM' }],
      });
      // A dead letter waiting in its subscription is one the recorder could not take.
      for (const [kind, subscription] of [
        ['live', plan.subscription],
        ['replay', plan.replaySubscription],
        ['dead-letter', plan.deadLetterSubscription],
      ] as const) {
        policy(
          `${plan.subscriber}-${kind}-oldest-unacked`,
          `${plan.subscriber}: ${subscription} has a message older than ${args.oldestUnackedAgeSeconds}s`,
          'WARNING',
          {
            filter: subscriptionMetric('oldest_unacked_message_age', subscription),
            comparison: 'COMPARISON_GT',
            thresholdValue: args.oldestUnackedAgeSeconds,
            duration: '0s',
            aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MAX' }],
          },
        );
      }
    }

    const setAside = new gcp.logging.Metric(
      `${name}-outbox-set-aside`,
      {
        name: outboxSetAsideMetric,
        description: 'Outbox entries the relay could not publish and set aside',
        filter: `jsonPayload.message="${outboxSetAsideLog}"`,
        metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64' },
      },
      parent,
    );
    policy('outbox-set-aside', 'order: an outbox entry set aside, unpublished', 'ERROR', {
      filter: setAside.name.apply((metric) =>
        [
          `metric.type = "logging.googleapis.com/user/${metric}"`,
          'resource.type = "cloud_run_revision"',
        ].join(' AND '),
      ),
      comparison: 'COMPARISON_GT',
      thresholdValue: 0,
      duration: '0s',
      aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_SUM' }],
    });

    const requests = (service: string, only5xx: boolean) =>
      [
        'resource.type = "cloud_run_revision"',
        `resource.labels.service_name = "${service}"`,
        'metric.type = "run.googleapis.com/request_count"',
        ...(only5xx ? ['metric.labels.response_code_class = "5xx"'] : []),
      ].join(' AND ');
    const perService = [
      {
        alignmentPeriod: '300s',
        perSeriesAligner: 'ALIGN_RATE',
        crossSeriesReducer: 'REDUCE_SUM',
        groupByFields: ['resource.labels.service_name'],
      },
    ];
    policy(
      'order-5xx',
      `order: more than ${args.orderErrorRatePercent}% of requests answered 5xx`,
      'ERROR',
      {
        filter: pulumi.output(args.orderService).apply((s) => requests(s, true)),
        denominatorFilter: pulumi.output(args.orderService).apply((s) => requests(s, false)),
        aggregations: perService,
        denominatorAggregations: perService,
        comparison: 'COMPARISON_GT',
        thresholdValue: args.orderErrorRatePercent / 100,
        duration: '300s',
      },
    );

    // A subscriber that fails outright records no lag; its dead letters and backlog alert instead.
    prometheus(
      'effect-lag',
      `a subscriber's effects take longer than ${args.effectLagSeconds}s after the order (p95, 10 min)`,
      `${promql.effectLag(0.95, '10m')} > ${args.effectLagSeconds}`,
      runbooks.effectLag,
    );
    prometheus(
      'outbox-age',
      `an event has waited in the outbox for more than ${args.outboxAgeSeconds}s`,
      `${promql.outboxPendingAge} > ${args.outboxAgeSeconds}`,
      runbooks.outbox,
    );
    prometheus(
      'redriven',
      'the reconciler re-drove deliveries Pub/Sub had not brought (10 min)',
      `${promql.redriven} > 0`,
      runbooks.redriven,
    );
    this.registerOutputs({});
  }
}
