import { type ApprovalInput, checkApproval } from '../../shared/upgrade/steps/approval.ts';
import { adminServices } from '../compose/admin-services.ts';
import { bindable } from '../compose/aws-environment.ts';
import { logger } from '../telemetry/logger.ts';

/**
 * Upgrade workflow Task "Check approval" (ASL placeholder ${CheckApprovalFunctionArn}). Not a workflowTask: it
 * writes nothing, not even a step, since the upgrade its input names may not be this execution's.
 */
export const handler = bindable((envOf) => async (event: ApprovalInput) => {
  const verdict = await checkApproval(adminServices(envOf()).cp.upgrade, event);
  if (!verdict.approved)
    logger.warn('execution refused before draining', { ...verdict, execution: event.execution_name });
  return verdict;
});
