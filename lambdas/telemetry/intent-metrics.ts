import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Outcome } from '../../shared/domain/outcomes.ts';
import { METRICS_NAMESPACE } from './drain-metrics.ts';

/** Emits IntentCompleted with an `outcome` dimension (settled, failed, refunded) as CloudWatch EMF. */
export function emitIntentCompleted(outcome: Outcome): void {
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'upgrade-control-plane' });
  metrics.addDimension('outcome', outcome);
  metrics.addMetric('IntentCompleted', MetricUnit.Count, 1);
  metrics.publishStoredMetrics();
}
