import type { ContractBefore, ContractMigration, GovernanceWait } from './contract/contract-spec.ts';
import type { DeploymentRecord } from './deploy-spec.ts';
import type { IbcVerifications } from './ibc/ibc-verification.ts';
import type { RunConfig } from './upgrade-config.ts';

export type UpgradeState =
  | 'running'
  | 'succeeded'
  | 'failed'
  | 'rolled_back'
  | 'aborted'
  | 'dry_run'
  | 'needs_operator'
  /** A scheduled upgrade that could not start when its schedule fired (another running, too soon, not Active). */
  | 'refused';

/** Migration progress as the migrator reports it. */
export interface MigrationProgress {
  readonly total: number;
  readonly completed: number;
  readonly failed: number;
  readonly pct: number;
}

/** One upgrade in the history: what was asked, how far it got, how it ended. */
export interface UpgradeRecord {
  readonly id: string;
  readonly execution_name: string;
  readonly execution_arn: string | null;
  readonly from_version: string;
  readonly to_version: string;
  readonly state: UpgradeState;
  readonly started_at: number;
  readonly finished_at: number | null;
  readonly requested_by: string;
  readonly reason: string;
  /** As the workflow runs it: a maintenance upgrade's target is the version it started on. */
  readonly config: RunConfig;
  readonly current_step: string | null;
  readonly progress_pct: number;
  readonly checkpoint_id: string | null;
  readonly records_migrated: number;
  readonly migration_progress: MigrationProgress | null;
  readonly abort_requested: boolean;
  /** An operator's POST /admin/drain/force during this upgrade's drain: its next drain check forces the drain. */
  readonly force_requested?: {
    readonly by: string;
    readonly at: string;
    readonly acknowledge_locked_funds: boolean;
  } | null;
  readonly error: string | null;
  readonly result: Record<string, unknown> | null;
  /** What was deployed where, by whom, with durations (absent before the deploy step). */
  readonly deployment?: DeploymentRecord | null;
  /** Each contract as it was before this upgrade changed it (code id, version, config, inflight entries). */
  readonly contracts_before?: readonly ContractBefore[] | null;
  /** Each contract migration, in the order done: recorded before its transaction, then migrated, then rolled back. */
  readonly contract_migrations?: readonly ContractMigration[] | null;
  /** Governance mode: the wait for the operator's confirmation of the on-chain migration. */
  readonly governance?: GovernanceWait | null;
  /** The schedule that started this upgrade (absent when started through the API). */
  readonly schedule_name?: string | null;
  /** The approved proposal this upgrade executes (GET /admin/proposals/{id}). */
  readonly proposal_id?: string | null;
  /** The bake after resume: its state, window, each trigger's last reading, and what tripped it. */
  readonly bake?: {
    readonly state: 'baking' | 'passed' | 'tripped';
    readonly started_at: number;
    readonly ends_at: number;
    readonly readings: readonly { trigger: string; fired: boolean; detail: string }[];
    readonly trigger: string | null;
    readonly checked_at: number;
  } | null;
  /** Who ended the bake early as a success (POST /admin/upgrade/{id}/promote). */
  readonly bake_promoted_by?: string | null;
  /** The checkpoint of the state when a bake tripped (before its migrations were reversed). */
  readonly bake_checkpoint_id?: string | null;
  /** The packets pending at the checkpoint, read on chain after the resume and after a rollback. */
  readonly ibc_verification?: IbcVerifications | null;
}

/** One step of an upgrade, written by the step's own task as it starts and ends. */
export interface StepRecord {
  readonly upgrade_id: string;
  readonly seq: string;
  readonly name: string;
  readonly started_at: number;
  readonly ended_at: number | null;
  readonly outcome: 'running' | 'succeeded' | 'failed';
  readonly cause: string | null;
  readonly detail: Record<string, unknown> | null;
}

/** Persistence of upgrades, their steps, and the one-upgrade-at-a-time lock. */
export interface UpgradeStore {
  /**
   * Takes the lock for `id`; returns the holder's id when another upgrade holds it. An upgrade that changes the
   * running version is refused (409 protocol_rollout_active) while a protocol rollout is unfinished.
   */
  acquireLock(id: string, now: number, changesVersion: boolean): Promise<string | null>;
  releaseLock(id: string): Promise<void>;
  lockHolder(): Promise<string | null>;
  create(record: UpgradeRecord): Promise<void>;
  get(id: string): Promise<UpgradeRecord | null>;
  update(id: string, patch: Partial<UpgradeRecord>): Promise<void>;
  /** Newest first, by start time. */
  list(limit: number): Promise<UpgradeRecord[]>;
  putStep(step: StepRecord): Promise<void>;
  steps(id: string): Promise<StepRecord[]>;
}

/** Whether an upgrade in this state has ended. */
export const isFinished = (s: UpgradeState): boolean => s !== 'running';
