import { resumeOnPrevious } from '../../shared/upgrade/steps/finish.ts';
import { workflowTask } from './workflow-task.ts';

/** Upgrade workflow Task "Resume on previous version" (ASL placeholder ${ResumePreviousFunctionArn}). */
export const handler = workflowTask('Resume on previous version', resumeOnPrevious);
