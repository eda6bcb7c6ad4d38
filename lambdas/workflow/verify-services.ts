import { verifyServicesOnTarget } from '../../shared/upgrade/steps/verify-services.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Verify every replica before success" (ASL placeholder ${VerifyServicesFunctionArn}). */
export const handler = workflowTask('Verify every replica before success', verifyServicesOnTarget);
