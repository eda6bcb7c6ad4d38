import { CONTROL_AND_COUNTS, CONTROL_ONLY, type StateEntry } from './types.ts';

/**
 * From the start to a Drained system: the scheduled start, pre-checks (or a dry run), the drain and its polling,
 * and the cancel that ends an upgrade before anything was migrated.
 *
 * Ends: a refusal, an operator's abort and a drain timeout are planned outcomes, so they end in Succeed states
 * (the outcome is in the output and the upgrade record); only a real failure ends in Fail, so the
 * ExecutionsFailed alarm means something broke.
 */
export const DRAIN_STATES: Record<string, StateEntry> = {
  'Started by a schedule?': {
    Type: 'Choice',
    Comment:
      'An EventBridge schedule starts the machine with {scheduled: true, request}; the API with {scheduled: false} and a registered upgrade. (A boolean, not IsPresent: the local interpreter evaluates IsPresent wrongly.)',
    Choices: [
      // Recovery of an upgrade whose execution cannot resume runs as an execution of its own (never inside an
      // API call): started by POST /admin/upgrade/abort and by the rule on FAILED/TIMED_OUT/ABORTED executions.
      { Variable: '$.recover', IsPresent: true, Next: 'Recover an interrupted upgrade' },
      { Variable: '$.scheduled', BooleanEquals: true, Next: 'Register scheduled upgrade' },
    ],
    Default: 'Check approval',
  },
  'Register scheduled upgrade': {
    Type: 'Task',
    phase: 'starting',
    fn: 'RegisterScheduled',
    handler: 'register-scheduled',
    timeoutSecs: 60,
    memoryMb: 256,
    access: { ...CONTROL_AND_COUNTS, notify: true }, // a schedule of a proposal announces its execution
    idempotent: false, // a second attempt finds the lock held by the first
    comment:
      "Same checks, lock and history record as POST /admin/upgrade/start, under this execution's name.",
    parameters: {
      'request.$': '$.request',
      // The whole input, so `schedule_name` rides along when present (inputs of older schedules lack it).
      'input.$': '$',
      'execution_name.$': '$$.Execution.Name',
      'execution_id.$': '$$.Execution.Id',
    },
    resultPath: '$.registered',
    outputPath: '$.registered',
    catch: { next: 'Scheduled upgrade refused', resultPath: '$.error' },
    next: 'Scheduled upgrade registered?',
  },
  'Scheduled upgrade registered?': {
    Type: 'Choice',
    Comment: 'A refused schedule is returned, not thrown (a planned outcome): its reason is in $.reason.',
    Choices: [{ Variable: '$.refused', BooleanEquals: true, Next: 'Scheduled upgrade refused' }],
    Default: 'Check approval',
  },
  'Scheduled upgrade refused': {
    Type: 'Succeed',
    Comment:
      'Planned outcome, not a failure: another upgrade running, the system not Active, too soon after the last one, or an invalid request; nothing was changed. The reason is in the output ($.error) and the audit trail.',
  },
  'Run pre-checks': {
    Type: 'Task',
    phase: 'starting',
    fn: 'PreChecks',
    handler: 'pre-checks',
    timeoutSecs: 420, // checks run in parallel, each bounded by check_timeout_secs (at most 300), then the contract
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'read', checkpoints: 'read', chain: true, signer: true }, // intents: the IBC pre-check lists pending packets (found by the AWS-rules harness)
    idempotent: true,
    comment:
      'Configured health checks and the migration path. Unhealthy (or Degraded unless allowed) stops the upgrade before any drain.',
    resultPath: '$.pre_checks',
    catch: { next: 'Record upgrade refused before drain', resultPath: '$.error' },
    next: 'Pre-checks passed?',
  },
  'Pre-checks passed?': {
    Type: 'Choice',
    Comment: 'A refusal by the pre-checks is returned, not thrown: a planned outcome is no function error.',
    Choices: [
      { Variable: '$.pre_checks.passed', BooleanEquals: false, Next: 'Record upgrade refused before drain' },
    ],
    Default: 'Is this a dry run?',
  },
  'Is this a dry run?': {
    Type: 'Choice',
    Choices: [
      { Variable: '$.config.dry_run', BooleanEquals: true, Next: 'Plan the migration (dry run)' },
      // A rolling release: no drain, replica by replica with the fence open (states-rolling.ts).
      { Variable: '$.config.strategy', StringEquals: 'rolling', Next: 'Roll replicas with the fence open' },
    ],
    Default: 'Start drain',
  },
  'Plan the migration (dry run)': {
    Type: 'Task',
    phase: 'starting',
    fn: 'PlanDryRun',
    handler: 'plan-dry-run',
    timeoutSecs: 300,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'read' },
    idempotent: true,
    resultPath: '$.plan',
    catch: { next: 'Record upgrade refused before drain', resultPath: '$.error' },
    next: 'Dry run complete',
  },
  'Dry run complete': {
    Type: 'Succeed',
    Comment: 'Nothing was drained or changed; the plan is in the upgrade record.',
  },
  'Record upgrade refused before drain': {
    Type: 'Task',
    phase: 'ending',
    fn: 'RecordRefused',
    handler: 'record-refused',
    timeoutSecs: 60,
    memoryMb: 256,
    access: CONTROL_ONLY,
    idempotent: true,
    resultPath: '$.outcome',
    next: 'Upgrade refused before drain',
  },
  'Upgrade refused before drain': {
    Type: 'Succeed',
    Comment:
      'Planned outcome, not a failure: pre-checks or the migration plan refused the upgrade; nothing was changed. See GET /admin/upgrades/{id}.',
    OutputPath: '$.outcome',
  },
  'Start drain': {
    Type: 'Task',
    phase: 'draining',
    fn: 'StartDrain',
    handler: 'start-drain',
    timeoutSecs: 60,
    memoryMb: 256,
    access: CONTROL_AND_COUNTS,
    idempotent: true, // a retry finds its own drain under way
    comment: 'New intents get 503 with Retry-After from here on; inflight ones go on.',
    resultPath: '$.drain',
    catch: { next: 'Cancel drain and resume old version', resultPath: '$.error' },
    next: 'Check drain progress',
  },
  'Check drain progress': {
    Type: 'Task',
    phase: 'draining',
    fn: 'CheckDrain',
    handler: 'check-drain',
    timeoutSecs: 60,
    memoryMb: 256,
    access: CONTROL_AND_COUNTS,
    idempotent: true,
    comment:
      "Also says how long to wait before the next look (wait_secs): poll_interval_secs at first, growing with the drain's age, so the longest drain stays far under the history quota.",
    resultPath: '$.drain',
    catch: { next: 'Cancel drain and resume old version', resultPath: '$.error' },
    next: 'Drained, timed out or aborted?',
  },
  'Drained, timed out or aborted?': {
    Type: 'Choice',
    Choices: [
      {
        Variable: '$.drain.abort_requested',
        BooleanEquals: true,
        Next: 'Cancel drain and resume old version',
      },
      { Variable: '$.drain.mode', StringEquals: 'Drained', Next: 'Extend timeouts?' },
      { Variable: '$.drain.force_requested', BooleanEquals: true, Next: 'Force drain' },
      { Variable: '$.drain.deadline_exceeded', BooleanEquals: true, Next: 'Force allowed after timeout?' },
    ],
    Default: 'Wait before next drain check',
  },
  'Wait before next drain check': {
    Type: 'Wait',
    SecondsPath: '$.drain.wait_secs',
    Next: 'Check drain progress',
  },
  'Force allowed after timeout?': {
    Type: 'Choice',
    Choices: [
      {
        And: [
          { Variable: '$.config.force_after_timeout', BooleanEquals: true },
          { Variable: '$.drain.inflight_with_locked_funds', NumericEquals: 0 },
        ],
        Next: 'Force drain',
      },
    ],
    Default: 'Cancel drain and resume old version',
  },
  'Force drain': {
    Type: 'Task',
    phase: 'draining',
    fn: 'ForceDrain',
    handler: 'force-drain',
    timeoutSecs: 60,
    memoryMb: 256,
    access: CONTROL_AND_COUNTS,
    idempotent: false, // forcing an already Drained system is refused
    comment:
      'When force_after_timeout is set and no remaining intent holds locked funds, or when an operator forced the drain (POST /admin/drain/force: the locked-funds rule was applied to the request).',
    resultPath: '$.drain',
    catch: { next: 'Cancel drain and resume old version', resultPath: '$.error' },
    next: 'Extend timeouts?',
  },
  'Cancel drain and resume old version': {
    Type: 'Task',
    phase: 'ending',
    fn: 'CancelDrain',
    handler: 'cancel-drain',
    timeoutSecs: 60,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'write' }, // lifts a freeze the checkpoint left
    idempotent: true, // cancels only a drain still under way
    comment: 'Nothing was migrated: the old version admits intents again.',
    resultPath: '$.outcome',
    catch: { next: 'Record failure needing an operator', resultPath: '$.error' },
    next: 'Why was the drain cancelled?',
  },
  'Why was the drain cancelled?': {
    Type: 'Choice',
    Choices: [
      { Variable: '$.outcome.reason', StringEquals: 'aborted', Next: 'Upgrade aborted by operator' },
      { Variable: '$.outcome.reason', StringEquals: 'drain_timeout', Next: 'Drain timed out' },
    ],
    Default: 'Upgrade failed before migration',
  },
  'Upgrade aborted by operator': {
    Type: 'Succeed',
    Comment: 'Planned outcome: an operator aborted the upgrade during the drain; the old version resumed.',
    OutputPath: '$.outcome',
  },
  'Drain timed out': {
    Type: 'Succeed',
    Comment:
      'Planned outcome: inflight intents did not finish before the drain deadline; the drain was cancelled and the old version resumed. The remaining intents are in the output and the upgrade record.',
    OutputPath: '$.outcome',
  },
  'Upgrade failed before migration': {
    Type: 'Fail',
    Error: 'UpgradeFailed',
    Cause:
      'A step before the migration failed; the drain was cancelled and the old version resumed. See GET /admin/upgrades/{id}.',
  },
  'Extend timeouts?': {
    Type: 'Choice',
    Choices: [
      {
        Variable: '$.config.extend_timeout_secs',
        NumericGreaterThan: 0,
        Next: 'Extend timeouts of remaining work',
      },
    ],
    Default: 'Checkpoint inflight state to S3',
  },
  'Extend timeouts of remaining work': {
    Type: 'Task',
    phase: 'changing',
    fn: 'ExtendTimeouts',
    handler: 'extend-timeouts',
    timeoutSecs: 900,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'write', chain: true, signer: true },
    idempotent: false, // extends on-chain timeouts again
    resultPath: '$.extended',
    catch: { next: 'Cancel drain and resume old version', resultPath: '$.error' },
    next: 'Checkpoint inflight state to S3',
  },
};
