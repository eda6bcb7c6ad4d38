import { deploymentOf } from '../deploy/deployment-record.ts';
import { replicasNotBack } from '../deploy/rollout.ts';
import { finishUpgrade } from '../steps/common.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { causeOf, type WorkflowState } from '../workflow-state.ts';

/**
 * How a rolled-back rolling release ends: `rolled_back` (or `aborted`, when an operator asked) with its cause when every replica it touched is back, else
 * `needs_operator`, naming each replica not back and where it may stand. Admission was never closed either way.
 */
export async function recordRollingRollback(svc: UpgradeServices, s: WorkflowState) {
  const notBack = replicasNotBack((await deploymentOf(svc, s)).rollback);
  const tripped = s.bake?.verdict === 'tripped' ? s.bake.trigger : null;
  const cause = s.error
    ? causeOf(s.error)
    : tripped
      ? `the canary's bake tripped: ${tripped}`
      : 'rolled back';
  const aborted = (await svc.upgrades.get(s.upgrade_id))?.abort_requested === true;
  // An operator's abort is a planned outcome: `aborted`, as for a drained upgrade.
  const state = notBack.length ? 'needs_operator' : aborted ? 'aborted' : 'rolled_back';
  await finishUpgrade(
    svc,
    s,
    state,
    notBack.length ? `${cause}; the rollback left replicas for an operator: ${notBack.join('; ')}` : cause,
  );
  return { state };
}
