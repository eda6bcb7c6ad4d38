import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { MODE_GAUGE } from '../../shared/domain/drain-mode.ts';
import type { DrainStatus } from '../../shared/domain/drain-status.ts';

export const METRICS_NAMESPACE = 'UpgradeControlPlane';

/**
 * Emits the drain gauges as CloudWatch EMF (one line on stdout): InflightCount, DrainMode (0 active,
 * 1 draining, 2 drained, 3 upgrading, 4 resuming), DrainCompletedTotal, DrainStartTimestamp (epoch seconds,
 * 0 when no drain), DrainElapsedSeconds (while draining) and DrainDeadlineExceeded (1 once a drain outlives its
 * timeout). The alarms of the CDK app are built on these names.
 */
export function emitDrainMetrics(status: DrainStatus): void {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'upgrade-control-plane' });
  metrics.addMetric('InflightCount', MetricUnit.Count, status.inflight_count);
  metrics.addMetric('DrainMode', MetricUnit.NoUnit, MODE_GAUGE[status.mode]);
  metrics.addMetric('DrainCompletedTotal', MetricUnit.Count, status.completed_since_drain);
  const started = status.started_at ? Math.floor(Date.parse(status.started_at) / 1000) : 0;
  metrics.addMetric('DrainStartTimestamp', MetricUnit.Seconds, started);
  const elapsed =
    status.mode === 'Draining' && started ? Math.max(0, Math.floor(Date.now() / 1000) - started) : 0;
  metrics.addMetric('DrainElapsedSeconds', MetricUnit.Seconds, elapsed);
  metrics.addMetric('DrainDeadlineExceeded', MetricUnit.Count, status.deadline_exceeded ? 1 : 0);
  metrics.publishStoredMetrics();
}

/**
 * What the workflow reports, one metric each, so that each alarm means one thing: a rollback (UpgradeRollbacks,
 * the UpgradeRollbackOccurred alarm), a smoke test that failed after resume (SmokeTestFailed: nothing was rolled
 * back), an execution refused as unapproved (UnapprovedExecutionRefused: nothing was drained), a success.
 */
export const UPGRADE_EVENT_METRICS = {
  succeeded: 'UpgradeSucceeded',
  rolled_back: 'UpgradeRollbacks',
  smoke_test_failed: 'SmokeTestFailed',
  unapproved_execution: 'UnapprovedExecutionRefused',
  /** Packets pending at the checkpoint that timed out during the upgrade: intents it failed. */
  ibc_packets_timed_out: 'IbcPacketsTimedOut',
} as const;

/** Emits one upgrade event from the workflow (`count` of them), and UpgradeDurationSeconds when given. */
export function emitUpgradeOutcome(
  event: keyof typeof UPGRADE_EVENT_METRICS,
  durationSecs: number | null,
  count = 1,
): void {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'upgrade-control-plane' });
  metrics.addMetric(UPGRADE_EVENT_METRICS[event], MetricUnit.Count, count);
  if (durationSecs !== null) metrics.addMetric('UpgradeDurationSeconds', MetricUnit.Seconds, durationSecs);
  metrics.publishStoredMetrics();
}
