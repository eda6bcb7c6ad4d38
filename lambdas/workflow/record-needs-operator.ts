import { recordNeedsOperator } from '../../shared/upgrade/steps/finish.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Record failure needing an operator" (ASL placeholder ${RecordNeedsOperatorFunctionArn}). */
export const handler = workflowTask('Record failure needing an operator', recordNeedsOperator);
