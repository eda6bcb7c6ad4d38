import { CONTROL_AND_COUNTS, CONTROL_ONLY, type StateEntry } from './types.ts';

/** The payload of a callback Task: the state the step needs, and the task token it records. */
const callbackPayload = {
  scheduled: false,
  'upgrade_id.$': '$.upgrade_id',
  'from_version.$': '$.from_version',
  'config.$': '$.config',
  'rollback_attempts.$': '$.rollback_attempts',
  'cursor.$': '$.cursor',
  'task_token.$': '$$.Task.Token',
};

const ROLLBACK = { next: 'Roll back changed components', resultPath: '$.error' } as const;

/**
 * From the checkpoint to the end of a successful upgrade: mark Upgrading, migrate records, then each component in its
 * declared order (a contract migrated or confirmed by governance, a service rolled out or deployed by an operator),
 * post-checks, resume, smoke test, record. Any failure after the
 * checkpoint goes to the rollback (states-rollback.ts).
 */
export const UPGRADE_STATES: Record<string, StateEntry> = {
  'Checkpoint inflight state to S3': {
    Type: 'Task',
    phase: 'changing',
    fn: 'Checkpoint',
    handler: 'checkpoint',
    timeoutSecs: 900,
    memoryMb: 512,
    access: { ...CONTROL_ONLY, intents: 'write', checkpoints: 'write', chain: true }, // freezes the intents first
    idempotent: true, // a retry reuses the checkpoint this upgrade already wrote, once validated
    comment: 'Manifest plus gzip JSON Lines parts, hashed; the rollback restores from it.',
    resultPath: '$.checkpoint',
    catch: { next: 'Cancel drain and resume old version', resultPath: '$.error' },
    next: 'Mark upgrading',
  },
  'Mark upgrading': {
    Type: 'Task',
    phase: 'changing',
    fn: 'MarkUpgrading',
    handler: 'mark-upgrading',
    timeoutSecs: 60,
    memoryMb: 256,
    access: CONTROL_AND_COUNTS,
    idempotent: true,
    resultPath: '$.upgrading',
    catch: ROLLBACK,
    next: 'Migrate stored records',
  },
  'Migrate stored records': {
    Type: 'Task',
    phase: 'changing',
    fn: 'MigrateRecords',
    handler: 'migrate-records',
    timeoutSecs: 900,
    memoryMb: 512,
    access: { ...CONTROL_ONLY, intents: 'write' },
    idempotent: true, // each record's write is conditional on its version: a re-run goes on where it stopped
    resultPath: '$.migration',
    catch: ROLLBACK,
    next: 'Start with the first component',
  },
  'Start with the first component': {
    Type: 'Pass',
    Comment:
      'The components (contracts and services) in their declared order: config.components, one at a time.',
    Result: { index: 0 },
    ResultPath: '$.cursor',
    Next: 'Any component left?',
  },
  'Any component left?': {
    Type: 'Choice',
    Choices: [
      {
        Variable: '$.cursor.index',
        NumericLessThanPath: '$.config.component_count',
        Next: 'Select component',
      },
    ],
    Default: 'Run post-checks',
  },
  'Select component': {
    Type: 'Pass',
    Parameters: {
      'index.$': '$.cursor.index',
      'component.$': 'States.ArrayGetItem($.config.components, $.cursor.index)',
    },
    ResultPath: '$.cursor',
    Next: 'Change which component?',
  },
  'Change which component?': {
    Type: 'Choice',
    Comment:
      'A contract is migrated here or by governance; a service is rolled out through its hooks or deployed by an operator.',
    Choices: [
      { Variable: '$.cursor.component.step', StringEquals: 'migrate_contract', Next: 'Migrate contract' },
      {
        Variable: '$.cursor.component.step',
        StringEquals: 'governance',
        Next: 'Wait for governance migration',
      },
      { Variable: '$.cursor.component.step', StringEquals: 'roll_out', Next: 'Roll out service replicas' },
      {
        Variable: '$.cursor.component.step',
        StringEquals: 'manual_deploy',
        Next: 'Wait for operator deploy',
      },
    ],
    Default: 'Next component',
  },
  'Migrate contract': {
    Type: 'Task',
    phase: 'changing',
    fn: 'MigrateContracts',
    handler: 'migrate-contracts',
    timeoutSecs: 900,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, chain: true, signer: true },
    idempotent: false, // a second attempt could send the migrate transaction twice
    comment:
      'Migrate, then verify: code id, migration_info, every checkpointed settlement or escrow, new_config.',
    resultPath: '$.contract',
    catch: ROLLBACK,
    next: 'Next component',
  },
  'Wait for governance migration': {
    Type: 'Task',
    phase: 'changing',
    fn: 'WaitForGovernance',
    handler: 'wait-for-governance',
    timeoutSecs: 60,
    memoryMb: 256,
    access: CONTROL_ONLY,
    idempotent: false,
    callback: { timeoutSecondsPath: '$.cursor.component.timeout_secs' },
    comment:
      "Waits for POST /admin/upgrade/{id}/confirm-migration {tx_hash} (SendTaskSuccess) or abort; rolls back after the contract's governance timeout.",
    parameters: callbackPayload,
    resultPath: '$.governance',
    catch: ROLLBACK,
    next: 'Verify governance migration',
  },
  'Verify governance migration': {
    Type: 'Task',
    phase: 'changing',
    fn: 'VerifyGovernanceMigration',
    handler: 'verify-governance-migration',
    timeoutSecs: 900,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, chain: true },
    idempotent: true, // reads the chain
    comment:
      'Code id, migration_info, every checkpointed entry and new_config, as for a migration of our own.',
    resultPath: '$.contract',
    catch: ROLLBACK,
    next: 'Next component',
  },
  'Roll out service replicas': {
    Type: 'Task',
    phase: 'changing',
    fn: 'RollOutReplicas',
    handler: 'roll-out-replicas',
    timeoutSecs: 900, // one batch (max_parallel replicas at once): see replicaWorstCaseSecs
    memoryMb: 256,
    access: CONTROL_ONLY,
    idempotent: false, // a replica recorded as deploying is never deployed twice: it is rolled back
    comment:
      'The next replicas of the service (max_parallel of them), after asking again those already deployed: recorded as deploying, deploy hook, healthy and on the target version, stabilized, recorded. A failure goes to the rollback, which also undoes the failed one.',
    resultPath: '$.rollout',
    catch: ROLLBACK,
    next: 'More replicas to roll out?',
  },
  'More replicas to roll out?': {
    Type: 'Choice',
    Choices: [{ Variable: '$.rollout.done', BooleanEquals: true, Next: 'Next component' }],
    Default: 'Roll out service replicas',
  },
  'Wait for operator deploy': {
    Type: 'Task',
    phase: 'changing',
    fn: 'WaitForDeploy',
    handler: 'wait-for-deploy',
    timeoutSecs: 60,
    memoryMb: 256,
    access: CONTROL_ONLY,
    idempotent: false,
    callback: { timeoutSecondsPath: '$.cursor.component.timeout_secs' },
    comment:
      "Waits for POST /admin/upgrade/{id}/continue (SendTaskSuccess) or abort; rolls back after the service's deploy_timeout_secs.",
    parameters: callbackPayload,
    resultPath: '$.deployment',
    catch: ROLLBACK,
    next: "Resume on the operator's version?",
  },
  "Resume on the operator's version?": {
    Type: 'Choice',
    Comment:
      'A maintenance upgrade ended by POST /admin/drain/resume {version} on a new protocol version: its records are migrated to it first.',
    Choices: [
      {
        Variable: '$.deployment.retarget',
        BooleanEquals: true,
        Next: "Migrate records to the operator's version",
      },
    ],
    Default: 'Next component',
  },
  "Migrate records to the operator's version": {
    Type: 'Task',
    phase: 'changing',
    fn: 'MigrateToOperatorVersion',
    handler: 'migrate-to-operator-version',
    timeoutSecs: 900,
    memoryMb: 512,
    access: { ...CONTROL_ONLY, intents: 'write' },
    idempotent: true, // the record first, then each record's write is conditional on its version
    comment:
      'The upgrade now targets the version the operator resumed on (recorded first); its stored records are migrated along the registered path.',
    resultPath: '$.config',
    catch: ROLLBACK,
    next: 'Next component',
  },
  'Next component': {
    Type: 'Pass',
    Parameters: { 'index.$': 'States.MathAdd($.cursor.index, 1)' },
    ResultPath: '$.cursor',
    Next: 'Any component left?',
  },
  'Run post-checks': {
    Type: 'Task',
    phase: 'changing',
    fn: 'PostChecks',
    handler: 'post-checks',
    timeoutSecs: 360, // checks run in parallel, each bounded by check_timeout_secs (at most 300)
    memoryMb: 256,
    access: { ...CONTROL_ONLY, checkpoints: 'read' },
    idempotent: true,
    resultPath: '$.post_checks',
    catch: ROLLBACK,
    next: 'Resume on target version',
  },
  'Resume on target version': {
    Type: 'Task',
    phase: 'changing',
    fn: 'ResumeTarget',
    handler: 'resume-target',
    timeoutSecs: 60,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'write' }, // lifts the freeze once the switch is durable
    idempotent: true,
    resultPath: '$.resumed',
    catch: ROLLBACK,
    next: 'Smoke test after resume',
  },
  'Smoke test after resume': {
    Type: 'Task',
    phase: 'resumed',
    fn: 'SmokeTest',
    handler: 'smoke-test',
    timeoutSecs: 60,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, intents: 'write' },
    idempotent: false, // registers a test intent
    comment:
      "Registers and completes a test intent of the control plane's own; a failure is reported and alarmed, not rolled back.",
    resultPath: '$.smoke_test',
    catch: { next: 'Bake on target version?', resultPath: '$.smoke_test_error' },
    next: 'Bake on target version?',
  },
  'Record upgrade in history': {
    Type: 'Task',
    phase: 'ending',
    fn: 'RecordSucceeded',
    handler: 'record-succeeded',
    timeoutSecs: 60,
    memoryMb: 256,
    access: CONTROL_ONLY,
    idempotent: true,
    resultPath: '$.outcome',
    next: 'Upgrade complete',
  },
  'Upgrade complete': { Type: 'Succeed' },
};
