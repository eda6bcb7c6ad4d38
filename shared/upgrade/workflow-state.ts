import type { DrainStatus } from '../domain/drain-status.ts';
import type { HealthResult } from '../health/health.ts';
import type { MigrationReport } from '../migration/migrator.ts';
import type { RunConfig } from './upgrade-config.ts';

/** The state an upgrade execution carries from step to step (JSONPath: each Task writes its ResultPath). */
export interface WorkflowState {
  /** False for upgrades started through the API; schedules start the machine with `{scheduled: true, request}`. */
  readonly scheduled: false;
  readonly upgrade_id: string;
  readonly from_version: string;
  readonly config: RunConfig;
  /** The approved proposal this upgrade executes (null: started without one, policy off or a dry run). */
  readonly proposal_id?: string | null;
  readonly rollback_attempts: { readonly count: number };
  /** The first check's verdict (shared/upgrade/steps/approval.ts). */
  readonly approval?: {
    readonly approved: boolean;
    readonly reason: string | null;
    readonly proposal_id: string | null;
  };
  readonly pre_checks?: {
    /** False when the pre-checks refused the upgrade (a planned outcome, returned rather than thrown). */
    readonly passed: boolean;
    readonly reason: string | null;
    readonly results: HealthResult[];
    readonly migration_path: string[];
  };
  readonly drain?: DrainStatus & { readonly abort_requested: boolean; readonly force_requested?: boolean };
  readonly checkpoint?: { readonly id: string; readonly record_counts: Record<string, number> };
  readonly migration?: MigrationReport;
  /** The component being changed: its place in config.components, and the entry (the workflow's iterator sets it). */
  readonly cursor?: {
    readonly index: number;
    readonly component?: import('./components/component-plan.ts').Component;
  };
  /** A manual deploy's (or maintenance's) go-ahead: who, and the version to resume on when the operator chose one. */
  readonly deployment?: {
    readonly continued_by: string;
    readonly retarget: boolean;
    readonly version: string | null;
  };
  /** The bake after resume (shared/upgrade/bake/bake-step.ts). */
  readonly bake?: import('./bake/bake-state.ts').BakeState;
  /** The checkpoint taken when a bake tripped, before its migrations were reversed. */
  readonly bake_checkpoint?: { readonly id: string; readonly record_counts: Record<string, number> };
  /** What a Catch put here: `Cause` is the error message (locally) or Lambda's JSON error (on AWS). */
  readonly error?: { readonly Error: string; readonly Cause: string };
  readonly rollback_error?: { readonly Error: string; readonly Cause: string };
}

/** The readable cause of a caught error, whichever engine caught it. */
export function causeOf(err: WorkflowState['error']): string {
  if (!err) return 'unknown error';
  try {
    const parsed = JSON.parse(err.Cause) as { errorMessage?: string };
    if (parsed.errorMessage) return `${err.Error}: ${parsed.errorMessage}`;
  } catch {
    // a plain message
  }
  return `${err.Error}: ${err.Cause}`;
}

/** A failure a workflow step reports on purpose; its name becomes the Step Functions error name. */
export class StepFailure extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}
