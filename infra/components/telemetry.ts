import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { orderflowDashboard, type DashboardThresholds } from '../dashboard.js';

export interface TelemetryArgs {
  project: string;
  /** The runtime identity of each service, which exports its own traces and metrics. */
  writers: Readonly<Record<string, pulumi.Input<string>>>;
  thresholds: DashboardThresholds;
}

/**
 * What a service needs to export to Google's Telemetry API (telemetry.googleapis.com), granted
 * on the project, where Cloud Trace and Cloud Monitoring keep the data: traces need
 * `telemetry.traces.write` (Cloud Telemetry Traces Writer), metrics `telemetry.metrics.write`,
 * which Monitoring Metric Writer holds besides `monitoring.timeSeries.create`:
 * https://cloud.google.com/iam/docs/roles-permissions/telemetry.
 */
export const telemetryWriterRoles = [
  'roles/telemetry.tracesWriter',
  'roles/monitoring.metricWriter',
] as const;

/** The services' right to export traces and metrics, and the dashboard that shows the metrics. */
export class Telemetry extends pulumi.ComponentResource {
  constructor(name: string, args: TelemetryArgs, opts?: pulumi.ComponentResourceOptions) {
    super('orderflow:infra:Telemetry', name, {}, opts);
    for (const [service, member] of Object.entries(args.writers)) {
      for (const role of telemetryWriterRoles) {
        new gcp.projects.IAMMember(
          `${name}-${service}-${role.replace('roles/', '').replace('.', '-')}`,
          { project: args.project, role, member },
          { parent: this },
        );
      }
    }
    new gcp.monitoring.Dashboard(
      `${name}-dashboard`,
      { dashboardJson: JSON.stringify(orderflowDashboard(args.thresholds)) },
      { parent: this },
    );
    this.registerOutputs({});
  }
}
