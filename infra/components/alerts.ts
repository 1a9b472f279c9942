import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { deadLetterRecordedMessage, type SubscriptionPlan } from '@orderflow/topology';

export interface AlertsArgs {
  email: string;
  plans: readonly SubscriptionPlan[];
  oldestUnackedAgeSeconds: number;
  /** The Cloud Run service web clients call. */
  orderService: pulumi.Input<string>;
  orderErrorRatePercent: number;
}

const subscriptionMetric = (metric: string, subscription: string) =>
  [
    'resource.type = "pubsub_subscription"',
    `resource.labels.subscription_id = "${subscription}"`,
    `metric.type = "pubsub.googleapis.com/subscription/${metric}"`,
  ].join(' AND ');

const runbook =
  'Look with `npm run -s dlq -- list --subscriber <name>`, fix the cause, then replay ' +
  '(docs/deployment.md, "Dead letters").';

/** The log-based metric of recorded dead letters, by subscriber. */
export const deadLetterMetric = 'orderflow/dead_letters';

/**
 * Alert policies on dead letters, push backlogs and order-service errors, sent by email. A dead
 * letter is counted where it is recorded (a log line of the subscriber), whichever way it came:
 * from Pub/Sub's dead-letter topic, or from a subscriber's own retries (the seller's webhooks).
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
    const policy = (
      id: string,
      displayName: string,
      severity: string,
      conditionThreshold: gcp.types.input.monitoring.AlertPolicyConditionConditionThreshold,
    ) =>
      new gcp.monitoring.AlertPolicy(
        `${name}-${id}`,
        {
          displayName,
          severity,
          combiner: 'OR',
          conditions: [{ displayName, conditionThreshold }],
          notificationChannels: [channel.name],
          documentation: { mimeType: 'text/markdown', content: `${displayName}. ${runbook}` },
        },
        parent,
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
    this.registerOutputs({});
  }
}
