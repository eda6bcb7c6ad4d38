import { afterEach, describe, expect, it, vi } from 'vitest';
import { emitDrainMetrics } from '../lambdas/telemetry/drain-metrics.ts';
import { emitIntentCompleted } from '../lambdas/telemetry/intent-metrics.ts';
import type { DrainStatus } from '../shared/domain/drain-status.ts';

const status: DrainStatus = {
  mode: 'Draining',
  inflight_count: 7,
  oldest_inflight_age_secs: 12,
  completed_since_drain: 3,
  pending_ibc_packets: 1,
  nearest_ibc_timeout: null,
  nearest_ibc_timeout_secs: null,
  inflight_with_locked_funds: 2,
  reason: 'v2',
  started_at: '2026-11-23T00:00:00.000Z',
  deadline: '2026-11-23T00:30:00.000Z',
  deadline_exceeded: false,
  forced: false,
  version: '1.0.0',
  target_version: null,
  admitting: false,
  fence_closed: true,
};

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

/** The EMF record `emit` writes to stdout. */
function emf(emit: () => void): Record<string, unknown> | undefined {
  vi.stubEnv('POWERTOOLS_METRICS_DISABLED', 'false');
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  emit();
  vi.restoreAllMocks();
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((r) => '_aws' in r);
}

describe('drain metrics', () => {
  it('counts a completion by its outcome (IntentCompleted, dimension outcome)', () => {
    const record = emf(() => emitIntentCompleted('failed'));
    expect(record).toMatchObject({ IntentCompleted: 1, outcome: 'failed' });
    type Emf = { _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] } };
    expect((record as unknown as Emf)._aws.CloudWatchMetrics[0]?.Dimensions.flat()).toContain('outcome');
  });

  it('emits the alarm metrics as one CloudWatch EMF record', () => {
    const record = emf(() => emitDrainMetrics(status));
    expect(record).toBeDefined();
    type Emf = { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[]; Namespace: string }[] } };
    const names = (record as unknown as Emf)._aws.CloudWatchMetrics[0];
    expect(names?.Namespace).toBe('UpgradeControlPlane');
    expect(names?.Metrics.map((m) => m.Name).sort()).toEqual(
      [
        'DrainCompletedTotal',
        'DrainDeadlineExceeded',
        'DrainElapsedSeconds',
        'DrainMode',
        'DrainStartTimestamp',
        'InflightCount',
      ].sort(),
    );
    expect(record).toMatchObject({
      InflightCount: 7,
      DrainMode: 1,
      DrainCompletedTotal: 3,
      DrainStartTimestamp: 1795392000,
    });
  });
});
