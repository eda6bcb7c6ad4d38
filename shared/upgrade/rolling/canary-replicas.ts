import type { UpgradeServices } from '../upgrade-services.ts';
import type { WorkflowState } from '../workflow-state.ts';

/** A rolling release's replicas that run the release: while the canary bakes, the canary. */
export async function canaryReplicas(svc: UpgradeServices, s: WorkflowState): Promise<string[]> {
  const record = await svc.upgrades.get(s.upgrade_id);
  return (record?.deployment?.replicas ?? []).filter((r) => r.outcome === 'deployed').map((r) => r.name);
}
