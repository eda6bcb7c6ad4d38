import type { RecoveryReport } from '../recover-orphan.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import type { WorkflowState } from '../workflow-state.ts';
import { recordRollingRollback } from './record-rolling-rollback.ts';
import { rollBackRolling } from './roll-back-rolling.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Recovery of a rolling release whose execution is gone: admission was never closed, so there is no drain to cancel
 * and nothing to resume. Every replica it touched is rolled back, newest first, as the workflow's own rollback does
 * (a replica's own intents waited for, up to its drain timeout), and the release ends rolled back, or needing an
 * operator with the replicas not back named.
 */
export async function recoverRolling(svc: UpgradeServices, state: WorkflowState): Promise<RecoveryReport> {
  const undone: unknown[] = [];
  for (let i = 0; i < 100_000; i++) {
    const step = await rollBackRolling(svc, state);
    if (step.done) break;
    undone.push(step);
    if (step.wait_secs) await sleep(step.wait_secs * 1000);
  }
  const cause = {
    Error: 'ExecutionLost',
    Cause: 'the execution of this rolling release stopped: its replicas were rolled back',
  };
  const { state: ended } = await recordRollingRollback(svc, { ...state, error: state.error ?? cause });
  return {
    decision: ended === 'needs_operator' ? 'needs_operator' : 'roll_back', // `aborted` when an operator asked
    found: { strategy: 'rolling', replicas_rolled_back: undone },
    message:
      ended === 'needs_operator'
        ? 'a rolling release was interrupted; some replicas could not be put back (see the record)'
        : 'a rolling release was interrupted: every replica it touched is back on its old version; admission never closed',
  };
}
