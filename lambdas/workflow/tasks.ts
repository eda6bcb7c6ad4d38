/**
 * Every Task of statemachines/upgrade.asl.json: its Resource placeholder (`${NameFunctionArn}`, substituted by
 * CDK on AWS) and the handler file in lambdas/workflow/ that runs it, on AWS and in the local interpreter.
 */
export const WORKFLOW_TASKS: Record<string, string> = {
  WaitForGovernance: 'wait-for-governance',
  VerifyGovernanceMigration: 'verify-governance-migration',
  RollBackContract: 'roll-back-contract',
  RollOutReplicas: 'roll-out-replicas',
  RollBackReplicas: 'roll-back-replicas',
  WaitForDeploy: 'wait-for-deploy',
  SmokeTest: 'smoke-test',
  RegisterScheduled: 'register-scheduled',
  PreChecks: 'pre-checks',
  PlanDryRun: 'plan-dry-run',
  RecordRefused: 'record-refused',
  StartDrain: 'start-drain',
  CheckDrain: 'check-drain',
  ForceDrain: 'force-drain',
  CancelDrain: 'cancel-drain',
  ExtendTimeouts: 'extend-timeouts',
  Checkpoint: 'checkpoint',
  MarkUpgrading: 'mark-upgrading',
  MigrateRecords: 'migrate-records',
  MigrateContracts: 'migrate-contracts',
  PostChecks: 'post-checks',
  ResumeTarget: 'resume-target',
  RecordSucceeded: 'record-succeeded',
  RollBack: 'roll-back',
  ResumePrevious: 'resume-previous',
  RecordNeedsOperator: 'record-needs-operator',
};
