/** How an execution stands, in Step Functions' own terms. */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionDescription {
  readonly executionArn: string;
  readonly name: string;
  readonly status: ExecutionStatus;
  readonly startDate: string;
  readonly stopDate: string | null;
  readonly output: unknown;
  readonly error: string | null;
  readonly cause: string | null;
}

/** One entry of an execution's history, reduced to what an operator reads. */
export interface ExecutionEvent {
  readonly timestamp: string;
  readonly type: string;
  readonly state: string | null;
  readonly error: string | null;
  readonly cause: string | null;
}

/**
 * The workflow engine behind one interface: Step Functions on AWS, the local interpreter in the embedded
 * runtime. Both run the same ASL file.
 */
export interface WorkflowEngine {
  readonly kind: 'aws' | 'local';
  start(name: string, input: unknown): Promise<{ executionArn: string }>;
  describe(executionArn: string): Promise<ExecutionDescription>;
  history(executionArn: string): Promise<ExecutionEvent[]>;
  stop(executionArn: string, cause: string): Promise<void>;
  /** Ends a step that waits for a callback (a task token), letting the execution go on with `output`. */
  sendTaskSuccess(taskToken: string, output: unknown): Promise<void>;
  /** Fails such a step with an error name its Catch matches. */
  sendTaskFailure(taskToken: string, error: string, cause: string): Promise<void>;
  /**
   * Starts, in the background, the recovery of an upgrade whose execution can no longer resume (see
   * recover-orphan.ts): never inside an API call, whose time is limited. Absent: the caller recovers in-line.
   */
  startRecovery?(request: RecoveryRequest): Promise<void>;
}

/** What the recovery Task (lambdas/workflow/recover-upgrade.ts) is started with. */
export interface RecoveryRequest {
  readonly upgrade_id: string;
  /** Why the execution cannot resume (recorded with the outcome). */
  readonly reason: string;
  /** An operator asked for it (POST /admin/upgrade/abort): the outcome is then "aborted" where it applies. */
  readonly by_operator: boolean;
}
