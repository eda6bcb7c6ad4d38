import { CONTROL_ONLY, type StateEntry } from './types.ts';

const REPLICA_TASK_SECS = 900; // one batch: each replica's deploy at its worst (REPLICA_BUDGET_SECS), hooks and records

/**
 * A rolling release (`strategy: "rolling"`): no drain, no checkpoint, the fence open throughout. Replica by
 * replica, each drained by its own hook, deployed once its own intents are done, verified and resumed. A failure
 * rolls back the replicas touched, newest first, the same way; the release ends rolled back (or needing an
 * operator when a replica could not be put back).
 */
export const ROLLING_STATES: Record<string, StateEntry> = {
  'Roll replicas with the fence open': {
    Type: 'Task',
    phase: 'starting', // nothing is drained: an operator's drain call meets a running upgrade (409)
    fn: 'RollReplicas',
    handler: 'roll-replicas',
    timeoutSecs: REPLICA_TASK_SECS,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'read' }, // counts each draining replica's own intents
    idempotent: false, // a cut-off attempt may have called a deploy hook
    comment:
      "One look per call: drain the next batch's replicas by their hooks, wait until the intents each owns are done, then deploy, verify and resume them; the other replicas keep taking intents.",
    resultPath: '$.rolling',
    catch: { next: 'Roll back rolled replicas', resultPath: '$.error' },
    next: 'Rolling release done?',
  },
  'Rolling release done?': {
    Type: 'Choice',
    Choices: [
      { Variable: '$.rolling.done', BooleanEquals: true, Next: 'Verify every rolled replica' },
      { Variable: '$.rolling.canary_bake', BooleanEquals: true, Next: 'Bake the canary' },
    ],
    Default: 'Wait during rolling release',
  },
  'Bake the canary': {
    Type: 'Task',
    phase: 'resumed',
    fn: 'CheckCanary',
    handler: 'check-canary',
    timeoutSecs: 420, // health triggers run in parallel, each bounded by check_timeout_secs (at most 300)
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'read', alarms: true },
    idempotent: true,
    comment:
      "One look at the canary's triggers (canary.bake): stuck_inflight counts the intents the canary replicas own. Tripped: the canary alone is rolled back; passed: the release goes on.",
    resultPath: '$.bake',
    catch: { next: 'Roll back rolled replicas', resultPath: '$.error' },
    next: 'Canary verdict?',
  },
  'Canary verdict?': {
    Type: 'Choice',
    Choices: [
      { Variable: '$.bake.verdict', StringEquals: 'tripped', Next: 'Roll back rolled replicas' },
      { Variable: '$.bake.verdict', StringEquals: 'passed', Next: 'Roll replicas with the fence open' },
    ],
    Default: 'Wait during canary bake',
  },
  'Wait during canary bake': { Type: 'Wait', SecondsPath: '$.bake.wait_secs', Next: 'Bake the canary' },
  'Wait during rolling release': {
    Type: 'Wait',
    SecondsPath: '$.rolling.wait_secs',
    Next: 'Roll replicas with the fence open',
  },
  'Verify every rolled replica': {
    Type: 'Task',
    phase: 'resumed',
    fn: 'VerifyServices', // the drained path's function: the same check
    handler: 'verify-services',
    timeoutSecs: 300,
    memoryMb: 256,
    access: CONTROL_ONLY,
    idempotent: true,
    resultPath: '$.services_verified',
    catch: { next: 'Roll back rolled replicas', resultPath: '$.error' },
    next: 'Record upgrade in history',
  },
  'Roll back rolled replicas': {
    Type: 'Task',
    phase: 'rolling_back',
    fn: 'RollBackRolling',
    handler: 'roll-back-rolling',
    timeoutSecs: REPLICA_TASK_SECS,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'read' },
    idempotent: false,
    comment:
      'Newest replica first: a drained one is resumed; a deployed one is drained again, and once its intents are done put back, verified and resumed.',
    resultPath: '$.rolling_rollback',
    catch: { next: 'Record rolling release rolled back', resultPath: '$.rollback_error' },
    next: 'Rolling rollback done?',
  },
  'Rolling rollback done?': {
    Type: 'Choice',
    Choices: [
      {
        Variable: '$.rolling_rollback.done',
        BooleanEquals: true,
        Next: 'Record rolling release rolled back',
      },
    ],
    Default: 'Wait during rolling rollback',
  },
  'Wait during rolling rollback': {
    Type: 'Wait',
    SecondsPath: '$.rolling_rollback.wait_secs',
    Next: 'Roll back rolled replicas',
  },
  'Record rolling release rolled back': {
    Type: 'Task',
    phase: 'ending',
    fn: 'RecordRollingRollback',
    handler: 'record-rolling-rollback',
    timeoutSecs: 60,
    memoryMb: 256,
    access: CONTROL_ONLY,
    idempotent: true,
    resultPath: '$.outcome',
    next: 'Rolling release ended how?',
  },
  'Rolling release ended how?': {
    Type: 'Choice',
    Choices: [
      { Variable: '$.outcome.state', StringEquals: 'needs_operator', Next: 'Upgrade needs an operator' },
      { Variable: '$.outcome.state', StringEquals: 'aborted', Next: 'Rolling release aborted' },
    ],
    Default: 'Upgrade rolled back',
  },
  'Rolling release aborted': {
    Type: 'Succeed',
    Comment:
      'Planned outcome: an operator aborted the rolling release; its replicas are back on their old version.',
  },
};
