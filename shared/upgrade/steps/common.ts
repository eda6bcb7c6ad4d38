import type { Caller } from '../../domain/audited.ts';
import type { HealthResult } from '../../health/health.ts';
import type { Migration } from '../../migration/migration.ts';
import type { CheckSpec } from '../check-spec.ts';
import { recordPatch, writeRecord } from '../record-patch.ts';
import type { UpgradeRecord } from '../upgrade-record.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import type { WorkflowState } from '../workflow-state.ts';

/** The identity upgrade steps act under in the audit trail. */
export const stepCaller = (s: WorkflowState): Caller => ({
  actor: `upgrade:${s.upgrade_id}`,
  correlationId: s.upgrade_id,
  upgradeId: s.upgrade_id,
});

/** The reason a drain started by this upgrade carries: lets a retried step recognise its own drain. */
export const drainReason = (s: WorkflowState): string => `upgrade ${s.upgrade_id}: ${s.config.reason}`;

/** The migrations this upgrade runs: the named ones, or the shortest path to the target. */
export const migrationChain = (svc: UpgradeServices, s: WorkflowState): Migration[] =>
  s.config.migrations === null
    ? svc.registry.path(s.from_version, s.config.target_version)
    : svc.registry.chain(s.config.migrations, s.from_version, s.config.target_version);

/**
 * Health results that stop an upgrade: any Unhealthy, and Degraded unless allowed, for every check
 * (`allow_degraded`) or for that check alone (its `degraded_ok`).
 */
export const blocking = (
  results: readonly HealthResult[],
  allowDegraded: boolean,
  specs: readonly CheckSpec[],
): HealthResult[] => {
  const tolerant = new Set(specs.filter((c) => 'degraded_ok' in c && c.degraded_ok).map((c) => c.name));
  return results.filter(
    (r) => r.status === 'Unhealthy' || (r.status === 'Degraded' && !allowDegraded && !tolerant.has(r.name)),
  );
};

export const describeChecks = (results: readonly HealthResult[]): string =>
  results.map((r) => `${r.name} ${r.status}${r.reason ? ` (${r.reason})` : ''}`).join(', ');

/** Ends an upgrade in the history and frees the one-at-a-time lock. */
export async function finishUpgrade(
  svc: UpgradeServices,
  s: WorkflowState,
  state: UpgradeRecord['state'],
  error: string | null,
  result: Record<string, unknown> | null = null,
): Promise<void> {
  await writeRecord(
    svc.upgrades,
    s.upgrade_id,
    recordPatch('outcome', {
      state,
      error,
      result,
      finished_at: svc.clock.now(),
      progress_pct: 100,
    }),
  );
  await svc.upgrades.releaseLock(s.upgrade_id);
}
