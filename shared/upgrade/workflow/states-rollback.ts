import { ibcVerificationStates } from './states-ibc.ts';
import { CONTROL_ONLY, type StateEntry } from './types.ts';

const NEEDS_OPERATOR = { next: 'Record failure needing an operator', resultPath: '$.error' } as const;

/**
 * Undoing a failed upgrade after the checkpoint: the changed components newest first (one replica or contract per
 * Task), the stored records from the checkpoint (retried max_rollback_attempts times), then resume on the previous version.
 *
 * Ends: a rollback after a real failure IS a failure (Fail "Upgrade rolled back"), as is a rollback that failed
 * (Fail "Upgrade needs an operator"); a rollback an operator asked for (abort) is a planned outcome (Succeed).
 */
export const ROLLBACK_STATES: Record<string, StateEntry> = {
  'Roll back changed components': {
    Type: 'Task',
    phase: 'rolling_back',
    fn: 'RollBackComponents',
    handler: 'roll-back-components',
    timeoutSecs: 900, // one replica (see replicaWorstCaseSecs) or one contract
    memoryMb: 256,
    access: { ...CONTROL_ONLY, chain: true, signer: true },
    idempotent: false, // an attempt cut off may have called a hook or sent a migrate transaction
    comment:
      'First undo of a failed upgrade, newest change first: the replicas of the last service touched, then the services before it, then the contracts in reverse order (each migrated back to its old code id and verified). One replica or one contract per Task.',
    resultPath: '$.component_rollback',
    catch: { next: 'Count rollback attempt', resultPath: '$.rollback_error' },
    next: 'More components to roll back?',
  },
  'More components to roll back?': {
    Type: 'Choice',
    Choices: [
      { Variable: '$.component_rollback.done', BooleanEquals: true, Next: 'Roll back to checkpoint' },
    ],
    Default: 'Roll back changed components',
  },
  'Roll back to checkpoint': {
    Type: 'Task',
    phase: 'rolling_back',
    fn: 'RollBack',
    handler: 'roll-back',
    timeoutSecs: 900,
    memoryMb: 512,
    access: { ...CONTROL_ONLY, intents: 'write', checkpoints: 'read' },
    idempotent: true, // restores the same records to the same values
    comment: 'Restores every checkpointed record (validated first); retried up to max_rollback_attempts.',
    resultPath: '$.rollback',
    catch: { next: 'Count rollback attempt', resultPath: '$.rollback_error' },
    next: 'Resume on previous version',
  },
  'Count rollback attempt': {
    Type: 'Pass',
    Parameters: { 'count.$': 'States.MathAdd($.rollback_attempts.count, 1)' },
    ResultPath: '$.rollback_attempts',
    Next: 'Rollback attempts left?',
  },
  'Rollback attempts left?': {
    Type: 'Choice',
    Choices: [
      {
        Variable: '$.rollback_attempts.count',
        NumericLessThanPath: '$.config.max_rollback_attempts',
        Next: 'Wait before retrying rollback',
      },
    ],
    Default: 'Record failure needing an operator',
  },
  'Wait before retrying rollback': {
    Type: 'Wait',
    SecondsPath: '$.config.rollback_retry_delay_secs',
    Next: 'Roll back changed components',
  },
  'Resume on previous version': {
    Type: 'Task',
    phase: 'rolling_back',
    fn: 'ResumePrevious',
    handler: 'resume-previous',
    timeoutSecs: 60,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'write' }, // lifts the freeze
    idempotent: true,
    resultPath: '$.outcome',
    catch: NEEDS_OPERATOR,
    next: 'Verify IBC packets after rollback',
  },
  ...ibcVerificationStates('Verify IBC packets after rollback', 'Aborted by an operator?'),
  'Aborted by an operator?': {
    Type: 'Choice',
    Choices: [
      { Variable: '$.outcome.outcome', StringEquals: 'aborted', Next: 'Upgrade aborted and rolled back' },
    ],
    Default: 'Upgrade rolled back',
  },
  'Upgrade aborted and rolled back': {
    Type: 'Succeed',
    Comment:
      'Planned outcome: an operator aborted the upgrade after the checkpoint; records were restored and the old version resumed.',
    OutputPath: '$.outcome',
  },
  'Upgrade rolled back': {
    Type: 'Fail',
    Error: 'UpgradeRolledBack',
    Cause:
      'A step after the checkpoint failed; records were restored from the checkpoint and the old version resumed. The cause is in GET /admin/upgrades/{id}.',
  },
  'Record failure needing an operator': {
    Type: 'Task',
    phase: 'ending',
    fn: 'RecordNeedsOperator',
    handler: 'record-needs-operator',
    timeoutSecs: 60,
    memoryMb: 256,
    access: CONTROL_ONLY,
    idempotent: true,
    resultPath: '$.outcome',
    next: 'Upgrade needs an operator',
  },
  'Upgrade needs an operator': {
    Type: 'Fail',
    Error: 'UpgradeNeedsOperator',
    Cause:
      'Rollback or drain cancellation failed; the system is left fenced (not admitting intents). See GET /admin/upgrades/{id}.',
  },
  'Recover an interrupted upgrade': {
    Type: 'Task',
    phase: 'rolling_back',
    fn: 'RecoverUpgrade',
    handler: 'recover-upgrade',
    timeoutSecs: 900,
    memoryMb: 512,
    access: {
      control: 'write',
      intents: 'write',
      checkpoints: 'write',
      chain: true,
      signer: true,
      inspect: true, // recovers only an upgrade whose own execution has stopped
    },
    idempotent: false, // it judges from the records and reality, but a second overlapping attempt helps no one
    comment:
      'Judged from the records and checked against the chain and the replicas: rolls forward if the switch to the target was durable, else rolls back replicas, contract and data, and records what it did. Skips an upgrade that has ended.',
    parameters: {
      'upgrade_id.$': '$.recover.upgrade_id',
      'reason.$': '$.recover.reason',
      'by_operator.$': '$.recover.by_operator',
    },
    resultPath: '$.recovery',
    catch: { next: 'Recovery failed', resultPath: '$.error' },
    next: 'Upgrade recovered',
  },
  'Upgrade recovered': {
    Type: 'Succeed',
    Comment:
      'Rolled back or forward (or nothing left to do); what was found and done is in the output and the upgrade record.',
  },
  'Recovery failed': {
    Type: 'Fail',
    Error: 'RecoveryFailed',
    Cause:
      'Recovery of an interrupted upgrade failed; the system may be fenced. See GET /admin/upgrades/{id}.',
  },
};
