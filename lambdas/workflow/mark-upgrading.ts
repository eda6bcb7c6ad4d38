import { markUpgrading } from '../../shared/upgrade/steps/migrate.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Mark upgrading" (ASL placeholder ${MarkUpgradingFunctionArn}). */
export const handler = workflowTask('Mark upgrading', markUpgrading);
