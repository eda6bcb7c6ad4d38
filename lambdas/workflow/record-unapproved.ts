import { type ApprovalInput, recordUnapproved } from '../../shared/upgrade/steps/approval.ts';
import { withDefaults } from '../../shared/upgrade/upgrade-config.ts';
import { adminServices } from '../compose/admin-services.ts';
import { bindable } from '../compose/aws-environment.ts';
import { emitUpgradeOutcome } from '../telemetry/drain-metrics.ts';

/** Upgrade workflow Task "Record unapproved execution" (ASL placeholder ${RecordUnapprovedFunctionArn}). */
export const handler = bindable((envOf) => async (event: ApprovalInput) => {
  const { config, cp } = adminServices(envOf());
  const fallback = withDefaults({ target_version: 'unknown', reason: 'not given' }, config.pollIntervalSecs);
  const out = await recordUnapproved(cp.upgrade, event, fallback);
  emitUpgradeOutcome('unapproved_execution', null); // its own alarm: someone tried to run an unapproved upgrade
  return out;
});
