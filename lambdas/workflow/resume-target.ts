import { resumeOnTarget } from '../../shared/upgrade/steps/finish.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Resume on target version" (ASL placeholder ${ResumeTargetFunctionArn}). */
export const handler = workflowTask('Resume on target version', resumeOnTarget);
