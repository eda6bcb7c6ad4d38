import { Stack } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { TaskAccess } from '../shared/upgrade/workflow/types.ts';

/** What one function may touch. Each level names exact actions: no `*` action on data. */
export interface Access {
  readonly control?: 'read' | 'write';
  readonly intents?: 'read' | 'write' | 'register' | 'update' | 'complete';
  readonly checkpoints?: 'read' | 'write';
  readonly workflow?: 'start' | 'inspect' | 'signal';
  readonly scheduler?: boolean;
}

const READ = [
  'dynamodb:GetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];
const WRITE = [
  ...READ,
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

const INTENTS: Record<NonNullable<Access['intents']>, string[]> = {
  read: READ,
  write: WRITE,
  register: ['dynamodb:PutItem'],
  update: ['dynamodb:UpdateItem'],
  complete: ['dynamodb:DeleteItem'],
};

export interface AccessTargets {
  readonly control: Table;
  readonly intents: Table;
  readonly bucket: Bucket;
  readonly key: Key;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly scheduleGroupArn: string;
  readonly schedulerRoleArn: string;
}

/** Grants exactly what `access` says, on the named resources only. */
export function grantAccess(fn: IGrantable, access: Access, t: AccessTargets): void {
  const add = (actions: string[], resources: string[]) =>
    fn.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions, resources }));
  if (access.control) add(access.control === 'read' ? READ : WRITE, [t.control.tableArn]);
  if (access.intents) add(INTENTS[access.intents], [t.intents.tableArn]);
  const kms = (write: boolean) =>
    add(write ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'], [t.key.keyArn]);
  if (access.control || access.intents)
    kms(access.control === 'write' || (!!access.intents && access.intents !== 'read'));
  if (access.checkpoints) {
    const objects = `${t.bucket.bucketArn}/checkpoints/*`;
    const actions =
      access.checkpoints === 'read'
        ? ['s3:GetObject']
        : ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
    add(actions, [objects]);
    add(['s3:ListBucket'], [t.bucket.bucketArn]);
    kms(access.checkpoints === 'write');
  }
  if (access.workflow) {
    const { region, account } = Stack.of(t.bucket);
    const executions = `arn:aws:states:${region}:${account}:execution:${t.stateMachineName}:*`;
    if (access.workflow === 'start') add(['states:StartExecution'], [t.stateMachineArn]);
    if (access.workflow === 'signal')
      add(['states:SendTaskSuccess', 'states:SendTaskFailure'], [t.stateMachineArn]);
    add(['states:DescribeExecution', 'states:GetExecutionHistory'], [executions]);
  }
  if (access.scheduler) {
    const schedules = `arn:aws:scheduler:${Stack.of(t.bucket).region}:${Stack.of(t.bucket).account}:schedule/*`;
    add(['scheduler:CreateSchedule', 'scheduler:GetSchedule', 'scheduler:DeleteSchedule'], [schedules]);
    add(['scheduler:ListSchedules'], ['*']);
    add(['iam:PassRole'], [t.schedulerRoleArn]);
  }
}

/** What each HTTP handler needs (by handler file name). */
export const ROUTE_ACCESS: Record<string, Access> = {
  health: { control: 'read' },
  'drain-start': { control: 'write', intents: 'read' },
  'drain-status': { control: 'write', intents: 'read' },
  'drain-cancel': { control: 'write', intents: 'write' },
  'drain-resume': { control: 'write', intents: 'write' },
  'drain-force': { control: 'write', intents: 'read' },
  'inflight-list': { control: 'read', intents: 'read' },
  'intent-register': { control: 'write', intents: 'register' },
  'intent-update': { intents: 'update' },
  'intent-complete': { intents: 'complete' },
  'upgrade-start': { control: 'write', intents: 'read', workflow: 'start' },
  'upgrade-status': { control: 'write', intents: 'read' },
  'upgrade-abort': { control: 'write', intents: 'write', checkpoints: 'write', workflow: 'signal' },
  'upgrade-continue': { control: 'write', workflow: 'signal' },
  'upgrade-confirm-migration': { control: 'write', workflow: 'signal' },
  'upgrades-list': { control: 'read' },
  'upgrade-get': { control: 'read', workflow: 'inspect' },
  'schedule-create': { control: 'write', scheduler: true },
  'schedules-list': { control: 'read', scheduler: true },
  'schedule-delete': { control: 'write', scheduler: true },
  'checkpoints-list': { control: 'read' },
  'checkpoint-get': { control: 'read', checkpoints: 'read' },
};

/**
 * A workflow Task's grants, from its entry in the workflow table (shared/upgrade/workflow/): its tables and
 * checkpoints as `grantAccess` does, and the signer secret only when the entry says it signs.
 */
export function grantTaskAccess(
  fn: IGrantable,
  access: TaskAccess,
  t: AccessTargets,
  signerSecretArn: string,
): void {
  grantAccess(
    fn,
    {
      control: access.control,
      ...(access.intents === 'none' ? {} : { intents: access.intents }),
      ...(access.checkpoints === 'none' ? {} : { checkpoints: access.checkpoints }),
    },
    t,
  );
  // In the function's own policy (a key-policy grant would tie the stacks in a cycle).
  if (access.signer)
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [signerSecretArn] }),
    );
}
