import type { UpgradeRecord } from './upgrade-record.ts';
import { WORKFLOW_TASK_ENTRIES } from './workflow/definition.ts';
import type { UpgradePhase } from './workflow/types.ts';

/** The phase of a running upgrade as an operator's drain call sees it: the step's phase, or the wait it is in. */
export type OperatorPhase = UpgradePhase | 'waiting_deploy' | 'waiting_governance';

/** Each step's phase, from the workflow table; plus the names the record uses before and outside the steps. */
const STEP_PHASE = new Map<string, UpgradePhase>([
  ['Starting', 'starting'],
  ['Recovering', 'rolling_back'],
  ...WORKFLOW_TASK_ENTRIES.map((t) => [t.state, t.phase] as const),
]);

/**
 * Where a running upgrade stands. A wait for the operator counts only while its step still shows it (a wait that
 * timed out or was aborted has moved on to the rollback); a step this table does not know is read as `changing`,
 * the phase that allows the least.
 */
export function phaseOf(r: UpgradeRecord): OperatorPhase {
  const step = r.current_step ?? '';
  if (step.startsWith('Waiting for') && r.deployment?.task_token && !r.deployment.continued_by)
    return 'waiting_deploy';
  if (step.startsWith('Waiting for') && r.governance?.task_token && !r.governance.confirmed_by)
    return 'waiting_governance';
  // A component's step is named after it ("Migrate contract: escrow"): its phase is the step's.
  return STEP_PHASE.get(step) ?? STEP_PHASE.get(step.replace(/: [^:]+$/, '')) ?? 'changing';
}
