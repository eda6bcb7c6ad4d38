import { ibcVerificationStates } from './states-ibc.ts';
import { CONTROL_ONLY, type StateEntry } from './types.ts';

const NEEDS_OPERATOR = { next: 'Record failure needing an operator', resultPath: '$.error' } as const;

/**
 * The bake after resume (an upgrade with a `bake` section): its triggers are watched for `duration_secs` before
 * the upgrade counts as succeeded. When one fires (or an operator aborts), the upgrade is undone the full way
 * back: drained again, checkpointed, its migrations reversed on every record (those admitted during the bake
 * too), services and contracts rolled back newest first, and the previous version resumed. The same way back is
 * taken when, before success, a replica is found off the target version.
 */
export const BAKE_STATES: Record<string, StateEntry> = {
  'Bake on target version?': {
    Type: 'Choice',
    Choices: [{ Variable: '$.config.bake_enabled', BooleanEquals: true, Next: 'Bake on target version' }],
    Default: 'Verify every replica before success',
  },
  'Bake on target version': {
    Type: 'Task',
    phase: 'resumed',
    fn: 'CheckBake',
    handler: 'check-bake',
    timeoutSecs: 420, // health triggers run in parallel, each bounded by check_timeout_secs (at most 300)
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'read', alarms: true, checkpoints: 'read', chain: true },
    idempotent: true,
    comment:
      'One look at the rollback triggers (alarms, health, stuck intents, IBC packets) after the warm-up, and at abort and promote. Tripped, passed, or baking on.',
    resultPath: '$.bake',
    // Not knowing how the new version does is no reason to keep it: roll back.
    catch: { next: 'Drain again for rollback', resultPath: '$.error' },
    next: 'Bake verdict?',
  },
  'Bake verdict?': {
    Type: 'Choice',
    Choices: [
      { Variable: '$.bake.verdict', StringEquals: 'tripped', Next: 'Drain again for rollback' },
      { Variable: '$.bake.verdict', StringEquals: 'passed', Next: 'Verify every replica before success' },
    ],
    Default: 'Wait during bake',
  },
  'Wait during bake': { Type: 'Wait', SecondsPath: '$.bake.wait_secs', Next: 'Bake on target version' },
  'Drain again for rollback': {
    Type: 'Task',
    phase: 'rolling_back',
    fn: 'StartRollbackDrain',
    handler: 'start-rollback-drain',
    timeoutSecs: 60,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'read' },
    idempotent: true,
    resultPath: '$.drain',
    catch: NEEDS_OPERATOR,
    next: 'Check rollback drain',
  },
  'Check rollback drain': {
    Type: 'Task',
    phase: 'rolling_back',
    fn: 'CheckRollbackDrain',
    handler: 'check-rollback-drain',
    timeoutSecs: 60,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'read' },
    idempotent: true,
    resultPath: '$.drain',
    catch: NEEDS_OPERATOR,
    next: 'Rollback drain finished?',
  },
  'Rollback drain finished?': {
    Type: 'Choice',
    Choices: [
      { Variable: '$.drain.mode', StringEquals: 'Drained', Next: 'Checkpoint before reversing' },
      {
        And: [
          { Variable: '$.drain.deadline_exceeded', BooleanEquals: true },
          { Variable: '$.config.force_after_timeout', BooleanEquals: true },
        ],
        Next: 'Force rollback drain',
      },
      // Without force: the new version must not resume and the old one cannot yet; the fence holds for an operator.
      {
        Variable: '$.drain.deadline_exceeded',
        BooleanEquals: true,
        Next: 'Record failure needing an operator',
      },
    ],
    Default: 'Wait before next rollback drain check',
  },
  'Wait before next rollback drain check': {
    Type: 'Wait',
    SecondsPath: '$.drain.wait_secs',
    Next: 'Check rollback drain',
  },
  'Force rollback drain': {
    Type: 'Task',
    phase: 'rolling_back',
    fn: 'ForceDrain', // the forward drain's function: the same step
    handler: 'force-drain',
    timeoutSecs: 60,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'read' },
    idempotent: false, // forcing an already Drained system is refused
    resultPath: '$.drain',
    catch: NEEDS_OPERATOR,
    next: 'Checkpoint before reversing',
  },
  'Checkpoint before reversing': {
    Type: 'Task',
    phase: 'rolling_back',
    fn: 'CheckpointBeforeReverse',
    handler: 'checkpoint-before-reverse',
    timeoutSecs: 900,
    memoryMb: 512,
    access: { ...CONTROL_ONLY, intents: 'write', checkpoints: 'write' },
    idempotent: true, // a retry reuses the checkpoint it wrote
    resultPath: '$.bake_checkpoint',
    catch: NEEDS_OPERATOR,
    next: 'Mark upgrading for rollback',
  },
  'Mark upgrading for rollback': {
    Type: 'Task',
    phase: 'rolling_back',
    fn: 'MarkRollingBack',
    handler: 'mark-rolling-back',
    timeoutSecs: 60,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'read' }, // the mode change counts the intents (found by the AWS-rules harness)
    idempotent: true,
    resultPath: '$.mark',
    catch: NEEDS_OPERATOR,
    next: 'Reverse migrations',
  },
  'Reverse migrations': {
    Type: 'Task',
    phase: 'rolling_back',
    fn: 'ReverseMigrations',
    handler: 'reverse-migrations',
    timeoutSecs: 900,
    memoryMb: 512,
    access: { ...CONTROL_ONLY, intents: 'write' },
    idempotent: true, // each record is replaced only if still on the version the step reverses
    comment:
      'Every record on the target version back to the previous format, intents admitted during the bake included. An irreversible step: needs an operator, fence held.',
    resultPath: '$.reversed',
    catch: NEEDS_OPERATOR,
    next: 'Roll back components after bake',
  },
  'Roll back components after bake': {
    Type: 'Task',
    phase: 'rolling_back',
    fn: 'RollBackComponents', // the failure path's function: the same step
    handler: 'roll-back-components',
    timeoutSecs: 900, // one replica (see replicaWorstCaseSecs) or one contract
    memoryMb: 256,
    access: { ...CONTROL_ONLY, chain: true, signer: true },
    idempotent: false,
    resultPath: '$.component_rollback',
    catch: NEEDS_OPERATOR,
    next: 'More components to roll back after bake?',
  },
  'More components to roll back after bake?': {
    Type: 'Choice',
    Choices: [
      { Variable: '$.component_rollback.done', BooleanEquals: true, Next: 'Resume on previous version' },
    ],
    Default: 'Roll back components after bake',
  },
  'Verify every replica before success': {
    Type: 'Task',
    phase: 'resumed',
    fn: 'VerifyServices',
    handler: 'verify-services',
    timeoutSecs: 300, // every replica's version and health, in parallel per service
    memoryMb: 256,
    access: CONTROL_ONLY,
    idempotent: true, // reads the replicas
    comment:
      'Every replica of every service read once more (version and health), after the bake if any: one not on the target rolls the upgrade back the full way, as a tripped bake does.',
    resultPath: '$.services_verified',
    catch: { next: 'Drain again for rollback', resultPath: '$.error' },
    next: 'Verify IBC packets',
  },
  ...ibcVerificationStates('Verify IBC packets', 'Record upgrade in history'),
};
