import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type { Table } from 'aws-cdk-lib/aws-dynamodb';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Key } from 'aws-cdk-lib/aws-kms';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { AwsAccess } from '../lambdas/api/route-types.ts';
import { ROUTES } from '../lambdas/routes.ts';
import { GATE_PK_PREFIX, MODE_PK } from '../shared/adapters/dynamodb/fence-store.ts';
import { OUTCOMES_PK_PREFIX } from '../shared/adapters/dynamodb/outcome-ledger.ts';
import { PACKET_INDEX } from '../shared/adapters/dynamodb/tables.ts';
import type { TaskAccess } from '../shared/upgrade/workflow/types.ts';

/** What one function may touch (defined with the API table, which gives each route its own). */
export type Access = AwsAccess;

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
  register: ['dynamodb:PutItem', 'dynamodb:DeleteItem'],
  update: ['dynamodb:UpdateItem'],
  complete: ['dynamodb:DeleteItem'],
  reopen: [...READ, 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  convert: [...READ, 'dynamodb:UpdateItem'],
};

export interface AccessTargets {
  readonly control: Table;
  readonly intents: Table;
  readonly bucket: Bucket;
  readonly key: Key;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  readonly scheduleGroupArn: string;
  /** The project's EventBridge Scheduler group: schedule actions are scoped to `schedule/<group>/*`. */
  readonly scheduleGroupName: string;
  readonly schedulerRoleArn: string;
  readonly proposalTopicArn: string;
}

/** Grants exactly what `access` says, on the named resources only. */
export function grantAccess(fn: IGrantable, access: Access, t: AccessTargets): void {
  for (const statement of accessStatements(access, t)) fn.grantPrincipal.addToPrincipalPolicy(statement);
}

/** The data stack's resources a grant may name: the two tables and their key. */
export type DataTargets = Pick<AccessTargets, 'control' | 'intents' | 'key'>;

/** Control-table actions limited to items whose partition key is like one of `keys` (dynamodb:LeadingKeys). */
const onKeys = (actions: string[], keys: string[], t: DataTargets) =>
  new PolicyStatement({
    actions,
    resources: [t.control.tableArn],
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': keys } },
  });

/** The statements of `access` on the tables and their key (a function's, or the producer policy's). */
export function dataStatements(access: Access, t: DataTargets): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  const add = (actions: string[], resources: string[]) =>
    statements.push(new PolicyStatement({ actions, resources }));
  if (access.control === 'read' || access.control === 'write')
    add(access.control === 'read' ? READ : WRITE, [t.control.tableArn]);
  if (access.control === 'fence') {
    statements.push(onKeys(['dynamodb:GetItem'], [MODE_PK, `${GATE_PK_PREFIX}*`], t));
    statements.push(onKeys(['dynamodb:UpdateItem'], [`${GATE_PK_PREFIX}*`], t));
  }
  if (access.outcomes)
    statements.push(onKeys(['dynamodb:GetItem', 'dynamodb:UpdateItem'], [`${OUTCOMES_PK_PREFIX}*`], t));
  if (access.intents) add(INTENTS[access.intents], [t.intents.tableArn]);
  // Who may read the intents may read their packet index (a Query is all it serves).
  if (access.intents && INTENTS[access.intents].includes('dynamodb:Query'))
    add(['dynamodb:Query'], [`${t.intents.tableArn}/index/${PACKET_INDEX}`]);
  if (access.control || access.intents || access.outcomes)
    statements.push(
      onKey(
        t,
        access.control === 'write' ||
          access.control === 'fence' ||
          !!access.outcomes ||
          (!!access.intents && access.intents !== 'read'),
      ),
    );
  return statements;
}

/** The data key, to decrypt what is read and, for a writer, to encrypt what is written. */
const onKey = (t: DataTargets, write: boolean) =>
  new PolicyStatement({
    actions: write ? ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
    resources: [t.key.keyArn],
  });

/** The statements granting exactly what `access` says, on the named resources only (a function's, or a policy's). */
export function accessStatements(access: Access, t: AccessTargets): PolicyStatement[] {
  const statements = dataStatements(access, t);
  const add = (actions: string[], resources: string[]) =>
    statements.push(new PolicyStatement({ actions, resources }));
  if (access.checkpoints) {
    const objects = `${t.bucket.bucketArn}/checkpoints/*`;
    const actions =
      access.checkpoints === 'read'
        ? ['s3:GetObject']
        : ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'];
    add(actions, [objects]);
    add(['s3:ListBucket'], [t.bucket.bucketArn]);
    statements.push(onKey(t, access.checkpoints === 'write'));
  }
  if (access.workflow) {
    const executions = Stack.of(t.bucket).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${t.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    if (access.workflow === 'start' || access.workflow === 'operate')
      add(['states:StartExecution'], [t.stateMachineArn]);
    // SendTask* have no resource-level permissions (the task token names the task): "*" is the only resource.
    if (access.workflow === 'signal' || access.workflow === 'operate')
      add(['states:SendTaskSuccess', 'states:SendTaskFailure'], ['*']);
    add(['states:DescribeExecution', 'states:GetExecutionHistory'], [executions]);
  }
  if (access.notify) {
    add(['sns:Publish'], [t.proposalTopicArn]);
    // The topic is encrypted with the data key: publishing needs a data key from it.
    add(['kms:Decrypt', 'kms:GenerateDataKey'], [t.key.keyArn]);
  }
  if (access.scheduler) {
    // Schedules of the project's own group only; the scheduler role may be passed to EventBridge Scheduler only.
    const schedules = Stack.of(t.bucket).formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${t.scheduleGroupName}/*`,
    });
    add(['scheduler:CreateSchedule', 'scheduler:GetSchedule', 'scheduler:DeleteSchedule'], [schedules]);
    add(['scheduler:ListSchedules'], ['*']);
    statements.push(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [t.schedulerRoleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
  }
  return statements;
}

/** What each HTTP handler needs (by handler file name), from the API table (lambdas/routes.ts). */
export const ROUTE_ACCESS: Record<string, Access> = Object.fromEntries(ROUTES.map((r) => [r.handler, r.aws]));

/**
 * A workflow Task's grants, from its entry in the workflow table (shared/upgrade/workflow/): its tables and
 * checkpoints as `grantAccess` does, and the signer secret only when the entry says it signs.
 */
export function grantTaskAccess(
  fn: IGrantable,
  access: TaskAccess,
  t: AccessTargets,
  signerSecretArn: string,
  bakeAlarms: readonly string[] = [],
): void {
  grantAccess(
    fn,
    {
      control: access.control,
      ...(access.intents === 'none' ? {} : { intents: access.intents }),
      ...(access.checkpoints === 'none' ? {} : { checkpoints: access.checkpoints }),
      ...(access.notify ? { notify: true } : {}),
      ...(access.inspect ? { workflow: 'inspect' as const } : {}),
    },
    t,
  );
  // Exactly the alarms the deploy names as possible bake triggers (none: alarm triggers are refused at the API).
  if (access.alarms && bakeAlarms.length) {
    for (const prefix of bakeAlarms.filter((a) => a.endsWith('*')))
      Validations.of(fn as unknown as Construct).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:${prefix}]`,
        reason: `"${prefix}" is the name prefix operators give the alarms a bake may read (-c bakeAlarms): DescribeAlarms only, nothing else.`,
      });
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['cloudwatch:DescribeAlarms'],
        resources: bakeAlarms.map((name) =>
          Stack.of(t.bucket).formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: name,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ),
      }),
    );
  }
  // In the function's own policy (a key-policy grant would tie the stacks in a cycle).
  if (access.signer)
    fn.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [signerSecretArn] }),
    );
}
