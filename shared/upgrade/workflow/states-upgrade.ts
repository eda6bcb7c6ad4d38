import { CONTROL_AND_COUNTS, CONTROL_ONLY, type StateEntry } from './types.ts';

/** The payload of a callback Task: the state the step needs, and the task token it records. */
const callbackPayload = {
  scheduled: false,
  'upgrade_id.$': '$.upgrade_id',
  'from_version.$': '$.from_version',
  'config.$': '$.config',
  'rollback_attempts.$': '$.rollback_attempts',
  'task_token.$': '$$.Task.Token',
};

const ROLLBACK = { next: 'Roll back backend replicas', resultPath: '$.error' } as const;

/**
 * From the checkpoint to the end of a successful upgrade: mark Upgrading, migrate records and the contract (or
 * wait for governance), deploy the backend, post-checks, resume, smoke test, record. Any failure after the
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
    next: 'Contract migrated by governance?',
  },
  'Contract migrated by governance?': {
    Type: 'Choice',
    Comment:
      'Governance mode: a proposal migrates the contract; the control plane waits for the confirmation and verifies.',
    Choices: [
      {
        Variable: '$.config.contract_mode',
        StringEquals: 'governance',
        Next: 'Wait for governance migration',
      },
    ],
    Default: 'Migrate contracts',
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
    callback: { timeoutSecondsPath: '$.config.contract_governance_timeout_secs' },
    comment:
      'Waits for POST /admin/upgrade/{id}/confirm-migration {tx_hash} (SendTaskSuccess) or abort; rolls back after the governance timeout.',
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
    comment: 'Code id, migration_info and every checkpointed settlement, as for a migration of our own.',
    resultPath: '$.contract',
    catch: ROLLBACK,
    next: 'Deploy backend?',
  },
  'Migrate contracts': {
    Type: 'Task',
    phase: 'changing',
    fn: 'MigrateContracts',
    handler: 'migrate-contracts',
    timeoutSecs: 900,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, chain: true, signer: true },
    idempotent: false, // a second attempt could send the migrate transaction twice
    resultPath: '$.contract',
    catch: ROLLBACK,
    next: 'Deploy backend?',
  },
  'Deploy backend?': {
    Type: 'Choice',
    Comment:
      'The deploy section of the request: hooks (rolled by the control plane), manual (an operator deploys), or none.',
    Choices: [
      { Variable: '$.config.deploy.mode', StringEquals: 'hooks', Next: 'Roll out backend replicas' },
      { Variable: '$.config.deploy.mode', StringEquals: 'manual', Next: 'Wait for operator deploy' },
    ],
    Default: 'Run post-checks',
  },
  'Roll out backend replicas': {
    Type: 'Task',
    phase: 'changing',
    fn: 'RollOutReplicas',
    handler: 'roll-out-replicas',
    timeoutSecs: 900, // one batch (max_parallel replicas at once): see replicaWorstCaseSecs
    memoryMb: 256,
    access: CONTROL_ONLY,
    idempotent: false, // a replica recorded as deploying is never deployed twice: it is rolled back
    comment:
      'The next replica (or max_parallel of them): recorded as deploying, deploy hook, healthy and on the target version, stabilized, recorded. A failure goes to the rollback, which also undoes the failed one.',
    resultPath: '$.rollout',
    catch: ROLLBACK,
    next: 'More replicas to roll out?',
  },
  'More replicas to roll out?': {
    Type: 'Choice',
    Choices: [{ Variable: '$.rollout.done', BooleanEquals: true, Next: 'Run post-checks' }],
    Default: 'Roll out backend replicas',
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
    callback: { timeoutSecondsPath: '$.config.deploy.deploy_timeout_secs' },
    comment:
      'Waits for POST /admin/upgrade/{id}/continue (SendTaskSuccess) or abort; rolls back after deploy_timeout_secs.',
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
    Default: 'Run post-checks',
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
    next: 'Run post-checks',
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
