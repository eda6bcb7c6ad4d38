import { type ApprovalInput, recordUnapproved } from '../../shared/upgrade/steps/approval.ts';
import { withDefaults } from '../../shared/upgrade/upgrade-config.ts';
import { emitUpgradeOutcome } from '../http/drain-metrics.ts';
import { runtime } from '../http/runtime.ts';

/** Upgrade workflow Task "Record unapproved execution" (ASL placeholder ${RecordUnapprovedFunctionArn}). */
export const handler = async (event: ApprovalInput) => {
  const { config, cp } = runtime();
  const fallback = withDefaults({ target_version: 'unknown', reason: 'not given' }, config.pollIntervalSecs);
  const out = await recordUnapproved(cp.upgrade, event, fallback);
  emitUpgradeOutcome('rolled_back', null); // the UpgradeRollbacks alarm: someone tried to run an unapproved upgrade
  return out;
};
