import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { MODE_GAUGE } from '../../shared/domain/drain-mode.ts';
import type { DrainStatus } from '../../shared/domain/drain-status.ts';

export const METRICS_NAMESPACE = 'UpgradeControlPlane';

/**
 * Emits the drain gauges as CloudWatch EMF (one line on stdout): InflightCount, DrainMode (0 active,
 * 1 draining, 2 drained, 3 upgrading, 4 resuming), DrainCompletedTotal and DrainStartTimestamp (epoch seconds,
 * 0 when no drain). The alarms of the CDK app are built on these names.
 */
export function emitDrainMetrics(status: DrainStatus): void {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'upgrade-control-plane' });
  metrics.addMetric('InflightCount', MetricUnit.Count, status.inflight_count);
  metrics.addMetric('DrainMode', MetricUnit.NoUnit, MODE_GAUGE[status.mode]);
  metrics.addMetric('DrainCompletedTotal', MetricUnit.Count, status.completed_since_drain);
  const started = status.started_at ? Math.floor(Date.parse(status.started_at) / 1000) : 0;
  metrics.addMetric('DrainStartTimestamp', MetricUnit.Seconds, started);
  metrics.publishStoredMetrics();
}
