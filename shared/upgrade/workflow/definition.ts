import { APPROVAL_STATES } from './states-approval.ts';
import { BAKE_STATES } from './states-bake.ts';
import { DRAIN_STATES } from './states-drain.ts';
import { ROLLBACK_STATES } from './states-rollback.ts';
import { ROLLING_STATES } from './states-rolling.ts';
import { UPGRADE_STATES } from './states-upgrade.ts';
import { isTask, type TaskEntry, type WorkflowDefinition } from './types.ts';

/**
 * The upgrade workflow, one table: every state of statemachines/upgrade.asl.json (generated from it by
 * `npm run asl`), and for each Task its function (handler, timeout, memory), what it may touch, whether it is
 * idempotent, and where it goes next or on error. The CDK app's functions, timeouts and grants and the local
 * engine's task map read this same table, so a new step is one entry.
 */
export const WORKFLOW: WorkflowDefinition = {
  comment:
    'Coordinated upgrade of the intent-settlement system: pre-checks, drain, checkpoint, migrate, post-checks, resume; rollback on failure. Generated from shared/upgrade/workflow/ by `npm run asl`: edit the table, not this file.',
  startAt: 'Started by a schedule?',
  // 24 days: the longest drain, deploy and governance waits UPGRADE_LIMITS allow, every rollback attempt and every
  // state's timeout fit (test/workflow-budget.test.ts). An execution timeout cannot be caught, so it must never
  // hit. (Standard allows a year; the local interpreter's timers hold at most 24.8 days.)
  executionTimeoutSecs: 24 * 86_400,
  states: {
    ...DRAIN_STATES,
    ...APPROVAL_STATES,
    ...ROLLING_STATES,
    ...UPGRADE_STATES,
    ...BAKE_STATES,
    ...ROLLBACK_STATES,
  },
};

/** Every Task of the workflow with its state name. */
export const WORKFLOW_TASK_ENTRIES: readonly (TaskEntry & { readonly state: string })[] = Object.entries(
  WORKFLOW.states,
).flatMap(([state, entry]) => (isTask(entry) ? [{ ...entry, state }] : []));
