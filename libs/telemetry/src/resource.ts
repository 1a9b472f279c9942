import { randomUUID } from 'node:crypto';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TelemetryConfig } from './config.js';

/**
 * Who is reporting. From configuration rather than a resource detector, which would ask the
 * metadata server at start-up; Cloud Monitoring needs `cloud.region` and `service.instance.id`
 * to place every metric point (prometheus_target's `location` and `instance`).
 */
export function serviceResource(config: TelemetryConfig): Resource {
  return resourceFromAttributes({
    [ATTR_SERVICE_NAME]: config.OTEL_SERVICE_NAME,
    [ATTR_SERVICE_VERSION]: config.SERVICE_VERSION,
    'service.instance.id': randomUUID(),
    ...(config.K_SERVICE && {
      'cloud.provider': 'gcp',
      'cloud.platform': 'gcp_cloud_run',
      'faas.name': config.K_SERVICE,
      'faas.version': config.K_REVISION,
    }),
    ...(config.CLOUD_REGION && { 'cloud.region': config.CLOUD_REGION }),
  });
}
