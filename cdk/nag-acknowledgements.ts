import { Validations } from 'aws-cdk-lib';
import type { ApiStack } from './api-stack.ts';
import type { InstanceNames } from './instance.ts';
import type { ObservabilityStack } from './observability-stack.ts';
import type { StatefulStack } from './stateful-stack.ts';
import type { WorkflowStack } from './workflow-stack.ts';

/** The stacks of one instance. */
export interface InstanceStacks {
  readonly data: StatefulStack;
  readonly workflow: WorkflowStack;
  readonly api: ApiStack;
  readonly observability: ObservabilityStack;
}

/** Every cdk-nag finding this app accepts, each with the reason it is accepted. */
export function acknowledgeFindings(stacks: InstanceStacks, names: InstanceNames): void {
  const { data, workflow, api } = stacks;
  const ack = (
    scope: Parameters<typeof Validations.of>[0] | Parameters<typeof Validations.of>[0][],
    id: string,
    reason: string,
  ) => {
    for (const one of Array.isArray(scope) ? scope : [scope]) Validations.of(one).acknowledge({ id, reason });
  };
  const service = [workflow, api];
  const watchers = workflow.node.findChild('Watchers').node;
  const gaugeRule = watchers.findChild('EmitDrainGauges');
  const undelivered = watchers.findChild('UndeliveredRecoveries');
  const sweepRule = watchers.findChild('SweepProposals');
  const tickRule = watchers.findChild('TickProtocolRollout');

  ack(
    data.signerSecret,
    'AwsSolutions-SMG4',
    'The secret holds the contract admin mnemonic; it cannot be rotated by a Lambda: operators replace it with put-secret-value.',
  );

  ack(
    service,
    'AwsSolutions-IAM5[Resource::*]',
    'Only X-Ray (PutTraceSegments, PutTelemetryRecords), scheduler:ListSchedules and states:SendTaskSuccess/SendTaskFailure (the task token names the task), which support no resource-level permissions.',
  );
  ack(
    service,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    "AWS's minimal managed policy for writing a function's own logs.",
  );
  ack(
    gaugeRule,
    'Serverless-EventBusDLQ',
    'A drain-gauge event that is lost is replaced by the next one a minute later: nothing to keep.',
  );
  ack(
    sweepRule,
    'Serverless-EventBusDLQ',
    'A lost sweep is redone a minute later: each notice is due from stored times and marked when sent, so nothing is lost.',
  );
  ack(
    tickRule,
    'Serverless-EventBusDLQ',
    "A lost tick is made up by the next a minute later: a rollout's phase and conversion are read from its stored record each time.",
  );
  ack(undelivered, 'AwsSolutions-SQS3', 'This queue is itself the dead-letter queue of the recovery rule.');
  ack(
    undelivered,
    'Serverless-SQSRedrivePolicy',
    'This queue is itself the dead-letter queue of the recovery rule: nothing consumes it but an operator.',
  );
  ack(
    service,
    'AwsSolutions-L1',
    'Node.js 22 on purpose: the project builds, tests and runs locally on Node 22, matching nodejs22.x.',
  );
  ack(
    service,
    'Serverless-LambdaLatestVersion',
    'Node.js 22 on purpose: the project builds, tests and runs locally on Node 22, matching nodejs22.x.',
  );
  ack(
    service,
    'Serverless-LambdaDLQ',
    'Every function is invoked synchronously (API Gateway, Step Functions Task): failures return to the caller, which retries or catches; nothing is invoked asynchronously.',
  );
  ack(
    service,
    `AwsSolutions-IAM5[Resource::${data.stackName}:ExportsOutputFnGetAttCheckpoints620E2F20ArnC494AD10/checkpoints/*]`,
    'Checkpoint objects are created per checkpoint under the checkpoints/ prefix of the one bucket.',
  );
  ack(
    service,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${names.scheduleGroup}/*]`,
    "Operators name schedules at run time; only schedules of the project's own group are addressed.",
  );
  ack(
    service,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${names.stateMachine}:*]`,
    'Executions of the one upgrade state machine; their names are made at run time.',
  );
  ack(
    api.api,
    'AwsSolutions-COG4',
    'The API is called with IAM (SigV4) by operators and services assuming the admin or intent role, not by end users.',
  );
  ack(
    api.api,
    'AwsSolutions-APIG2',
    'No API Gateway request validator: without models it would check nothing; every handler validates its body and query (zod) and answers 400 saying what to fix.',
  );
  ack(
    api.api,
    'AwsSolutions-APIG3',
    'Every method requires IAM-signed requests and the stage is throttled; a WAF web ACL can be attached by the account if wanted.',
  );
}
