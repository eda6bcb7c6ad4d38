import { CONTROL_ONLY, type StateEntry } from './types.ts';

/**
 * The workflow defends itself: whatever started it (the API, a schedule, someone with states:StartExecution, the
 * console's "Start execution"), nothing drains unless the execution is the registered upgrade and, with the
 * approval policy on, executes an approved proposal over exactly this config.
 */
export const APPROVAL_STATES: Record<string, StateEntry> = {
  'Check approval': {
    Type: 'Task',
    phase: 'starting',
    fn: 'CheckApproval',
    handler: 'check-approval',
    timeoutSecs: 30,
    memoryMb: 256,
    access: { ...CONTROL_ONLY, control: 'read' },
    idempotent: true,
    comment:
      'The first check of every upgrade: this execution holds the upgrade lock under its own name and, with approvals on, executes an approved proposal whose config_sha256 is the hash of this config. A failure here refuses (fail closed).',
    parameters: { 'state.$': '$', 'execution_name.$': '$$.Execution.Name' },
    resultPath: '$.approval',
    catch: { next: 'Record unapproved execution', resultPath: '$.error' },
    next: 'Approved?',
  },
  'Approved?': {
    Type: 'Choice',
    Choices: [{ Variable: '$.approval.approved', BooleanEquals: false, Next: 'Record unapproved execution' }],
    Default: 'Run pre-checks',
  },
  'Record unapproved execution': {
    Type: 'Task',
    phase: 'ending',
    fn: 'RecordUnapproved',
    handler: 'record-unapproved',
    timeoutSecs: 60,
    memoryMb: 256,
    access: CONTROL_ONLY,
    idempotent: true,
    comment:
      'Records the refusal in the history (under its own upgrade if it holds the lock, else an entry of its own) and the audit trail, and raises the UnapprovedExecutionRefused alarm metric. Nothing is drained.',
    parameters: {
      'state.$': '$',
      'execution_name.$': '$$.Execution.Name',
      'execution_id.$': '$$.Execution.Id',
    },
    resultPath: '$.outcome',
    next: 'Upgrade refused: not approved',
  },
  'Upgrade refused: not approved': {
    Type: 'Succeed',
    Comment:
      'Refused before anything drained: the execution was not a registered upgrade or not an approved one. The reason is in the upgrade history and the audit trail; the UnapprovedExecutionRefused alarm fires.',
    OutputPath: '$.outcome',
  },
};
