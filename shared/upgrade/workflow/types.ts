/**
 * The shape of the workflow table (shared/upgrade/workflow/definition.ts): one entry per state of the upgrade
 * state machine. Task entries say everything the ASL, the CDK app and the local engine need about their function;
 * other states are plain ASL fragments.
 */

/**
 * What a workflow Task's function may touch. The CDK app turns this into IAM (cdk/access.ts `grantTaskAccess`);
 * nothing else grants a Task function more.
 */
export interface TaskAccess {
  /** The control table: mode, gates, upgrades and their steps, checkpoint index, audit. */
  readonly control: 'read' | 'write';
  /** The intents table (the inflight records the upgrade drains, checkpoints, migrates and restores). */
  readonly intents: 'none' | 'read' | 'write';
  /** Checkpoint objects in S3. */
  readonly checkpoints: 'none' | 'read' | 'write';
  /** Reads the chain signer's mnemonic (Secrets Manager on AWS): only steps that sign a transaction. */
  readonly signer: boolean;
  /** Talks to the chain's RPC endpoint (network only: no IAM). */
  readonly chain: boolean;
  /** Publishes proposal announcements (a schedule that executes a proposal). */
  readonly notify?: boolean;
  /** Reads the state machine's executions (DescribeExecution): recovery checks the upgrade's own is not running. */
  readonly inspect?: boolean;
  /** Reads the CloudWatch alarms the deploy allows as bake triggers (DescribeAlarms on exactly those). */
  readonly alarms?: boolean;
}

/** A Catch of every error (`States.ALL`): where a failure goes, and where its error is put in the state. */
export interface TaskCatch {
  readonly next: string;
  readonly resultPath: string;
}

/**
 * Where an upgrade stands while a step runs, as an operator's drain call reads it (shared/upgrade/drain-requests.ts):
 * before its drain, draining, changing the system (checkpoint to resume), resumed (smoke test, bake), rolling back,
 * or recording how it ended.
 */
export type UpgradePhase = 'starting' | 'draining' | 'changing' | 'resumed' | 'rolling_back' | 'ending';

/** A Task state: the function it runs and how the state machine treats it. */
export interface TaskEntry {
  readonly Type: 'Task';
  /** The phase of the upgrade while this step runs (what the drain API does meanwhile: docs/operations.md). */
  readonly phase: UpgradePhase;
  /** `${<fn>FunctionArn}` in the ASL; the CDK app substitutes the function's ARN. */
  readonly fn: string;
  /** The handler file under lambdas/workflow/ (without `.ts`). */
  readonly handler: string;
  /** The Lambda function's timeout, seconds (at most 900). The state's TimeoutSeconds is derived from it. */
  readonly timeoutSecs: number;
  readonly memoryMb: number;
  readonly access: TaskAccess;
  /**
   * Running it twice has the effect of running it once. Only idempotent steps are retried on `States.Timeout`
   * (a timed-out attempt may still have done its work).
   */
  readonly idempotent: boolean;
  readonly comment?: string;
  /** JSONPath Parameters of the state (for a callback Task: the Payload). */
  readonly parameters?: Record<string, unknown>;
  readonly resultPath: string;
  readonly outputPath?: string;
  readonly next: string;
  /** Absent only for steps that record an outcome and have nothing to compensate. */
  readonly catch?: TaskCatch;
  /**
   * `lambda:invoke.waitForTaskToken`: the function records the task token and returns; the state waits for
   * SendTaskSuccess up to the time at `timeoutSecondsPath` (an input of the upgrade, not the function's timeout).
   */
  readonly callback?: { readonly timeoutSecondsPath: string };
}

/** Any other state, written as the ASL it is (JSONPath). */
export interface OtherEntry {
  readonly Type: 'Choice' | 'Wait' | 'Pass' | 'Fail' | 'Succeed';
  readonly [field: string]: unknown;
}

export type StateEntry = TaskEntry | OtherEntry;

/** The whole workflow: its states in reading order, where it starts, and the execution's own timeout. */
export interface WorkflowDefinition {
  readonly comment: string;
  readonly startAt: string;
  /** The execution's TimeoutSeconds (Standard workflows allow up to a year); see test/workflow-budget.test.ts. */
  readonly executionTimeoutSecs: number;
  readonly states: Readonly<Record<string, StateEntry>>;
}

export const isTask = (s: StateEntry): s is TaskEntry => s.Type === 'Task';

/** Access presets: most steps only read and write the control table, some the intents too. */
export const CONTROL_ONLY: TaskAccess = {
  control: 'write',
  intents: 'none',
  checkpoints: 'none',
  signer: false,
  chain: false,
};
/** The control table and a read of the intents (drain status counts them). */
export const CONTROL_AND_COUNTS: TaskAccess = { ...CONTROL_ONLY, intents: 'read' };
