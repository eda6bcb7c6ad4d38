import { Validations } from 'aws-cdk-lib';
import type { StatefulStack } from './stateful-stack.ts';
import type { StatelessStack } from './stateless-stack.ts';

/** Every cdk-nag finding this app accepts, each with the reason it is accepted. */
export function acknowledgeFindings(data: StatefulStack, service: StatelessStack): void {
  const ack = (scope: Parameters<typeof Validations.of>[0], id: string, reason: string) =>
    Validations.of(scope).acknowledge({ id, reason });

  ack(
    data.signerSecret,
    'AwsSolutions-SMG4',
    'The secret holds the contract admin mnemonic; it cannot be rotated by a Lambda: operators replace it with put-secret-value.',
  );

  ack(
    service,
    'AwsSolutions-IAM5[Resource::*]',
    'Only X-Ray (PutTraceSegments, PutTelemetryRecords) and scheduler:ListSchedules, which support no resource-level permissions.',
  );
  ack(
    service,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    "AWS's minimal managed policy for writing a function's own logs.",
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
    'AwsSolutions-IAM5[Resource::UpgradeControlPlaneData:ExportsOutputFnGetAttCheckpoints620E2F20ArnC494AD10/checkpoints/*]',
    'Checkpoint objects are created per checkpoint under the checkpoints/ prefix of the one bucket.',
  );
  ack(
    service,
    'AwsSolutions-IAM5[Resource::arn:aws:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/*]',
    'Operators name schedules at run time; the handlers address only the upgrade schedule group.',
  );
  ack(
    service,
    'AwsSolutions-IAM5[Resource::arn:aws:states:<AWS::Region>:<AWS::AccountId>:execution:upgrade-control-plane:*]',
    'Executions of the one upgrade state machine; their names are made at run time.',
  );
  ack(
    service.api,
    'AwsSolutions-COG4',
    'The API is called with IAM (SigV4) by operators and services assuming the admin or intent role, not by end users.',
  );
  ack(
    service.api,
    'AwsSolutions-APIG3',
    'Every method requires IAM-signed requests and the stage is throttled; a WAF web ACL can be attached by the account if wanted.',
  );
}
