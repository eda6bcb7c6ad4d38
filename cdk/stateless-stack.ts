import { ArnFormat, Aws, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { ROUTES } from '../lambdas/routes.ts';
import { WORKFLOW, WORKFLOW_TASK_ENTRIES } from '../shared/upgrade/workflow/definition.ts';
import { grantAccess, grantTaskAccess, ROUTE_ACCESS } from './access.ts';
import { ControlPlaneAlarms } from './alarms.ts';
import { ControlPlaneApi } from './api.ts';
import { PROJECT_ROOT, ProjectFunction } from './project-function.ts';
import type { StatefulStack } from './stateful-stack.ts';
import { UpgradeWatchers } from './upgrade-watchers.ts';

/** The chain for contract migrations (an empty endpoint: contract sections are refused with a message saying so). */
export interface ChainSettings {
  readonly rpcEndpoint: string;
  readonly chainId: string;
  readonly prefix: string;
  readonly gasPrice: string;
  /** How often a chain Task looks for its broadcast transaction in a block (about the chain's block time). */
  readonly broadcastPollMs: number;
}

export interface StatelessProps extends StackProps {
  readonly data: StatefulStack;
  readonly fenceShards: number;
  readonly retentionDays: number;
  readonly maintenanceWindows: string;
  /** OUTBOUND_ALLOW of the functions: internal targets they may call (empty: none). */
  readonly outboundAllow?: string;
  readonly chain: ChainSettings;
  /** CloudWatch alarms an upgrade's bake may name as triggers (DescribeAlarms is granted on exactly these). */
  readonly bakeAlarms: readonly string[];
  /** The approval policy's environment (APPROVERS, APPROVAL_THRESHOLD, ...); empty: upgrades start directly. */
  readonly approval: Readonly<Record<string, string>>;
}

export const STATE_MACHINE_NAME = 'upgrade-control-plane';
export const SCHEDULE_GROUP = 'upgrade-control-plane';

/** Functions, the upgrade state machine, the API, schedules and alarms: everything that can be redeployed freely. */
export class StatelessStack extends Stack {
  readonly stateMachine: StateMachine;
  readonly api: ControlPlaneApi;
  readonly schedulerRole: Role;
  readonly functions: Record<string, ProjectFunction> = {};

  constructor(scope: Construct, id: string, props: StatelessProps) {
    super(scope, id, props);
    const d = props.data;
    const stateMachineArn = this.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: STATE_MACHINE_NAME,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    // Only EventBridge Scheduler acting for this account may assume it (confused-deputy guard).
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'EventBridge Scheduler: may start only the upgrade state machine',
    });
    const scheduleGroup = new CfnScheduleGroup(this, 'Schedules', { name: SCHEDULE_GROUP });
    const environment = {
      CONTROL_TABLE: d.controlTable.tableName,
      INTENTS_TABLE: d.intentsTable.tableName,
      CHECKPOINT_BUCKET: d.checkpointBucket.bucketName,
      AUTH_MODE: 'iam',
      FENCE_SHARDS: String(props.fenceShards),
      RETENTION_DAYS: String(props.retentionDays),
      WORKFLOW_POLL_INTERVAL_SECS: '5',
      MAINTENANCE_WINDOWS: props.maintenanceWindows,
      OUTBOUND_POLICY: 'aws',
      ...(props.outboundAllow ? { OUTBOUND_ALLOW: props.outboundAllow } : {}),
      ...props.approval,
      BAKE_ALARMS: props.bakeAlarms.join(','),
      PROPOSAL_TOPIC_ARN: d.proposalTopic.topicArn,
      POWERTOOLS_SERVICE_NAME: 'upgrade-control-plane',
      POWERTOOLS_LOG_LEVEL: 'INFO',
      ...(props.chain.rpcEndpoint
        ? {
            CHAIN_RPC_ENDPOINT: props.chain.rpcEndpoint,
            CHAIN_ID: props.chain.chainId,
            CHAIN_PREFIX: props.chain.prefix,
            CHAIN_GAS_PRICE: props.chain.gasPrice,
            CHAIN_BROADCAST_POLL_MS: String(props.chain.broadcastPollMs),
            // The secret's ARN only: the mnemonic is read at run time and never enters the environment.
            SIGNER_SECRET_ID: d.signerSecret.secretArn,
          }
        : {}),
    };
    const targets = {
      control: d.controlTable,
      intents: d.intentsTable,
      bucket: d.checkpointBucket,
      key: d.key,
      stateMachineArn,
      stateMachineName: STATE_MACHINE_NAME,
      scheduleGroupArn: scheduleGroup.attrArn,
      scheduleGroupName: SCHEDULE_GROUP,
      schedulerRoleArn: this.schedulerRole.roleArn,
      proposalTopicArn: d.proposalTopic.topicArn,
    };

    // One function per workflow Task; the state machine gets their ARNs through definitionSubstitutions.
    const substitutions: Record<string, string> = {};
    const taskFunctions: ProjectFunction[] = [];
    for (const task of WORKFLOW_TASK_ENTRIES) {
      // A function several states run (the same step in two paths) is built once.
      if (substitutions[`${task.fn}FunctionArn`]) continue;
      const fn = new ProjectFunction(this, `Task${task.fn}`, {
        entry: `lambdas/workflow/${task.handler}.ts`,
        description: `upgrade workflow task ${task.handler}`,
        // A Task that inspects executions needs to know the state machine (recovery asks whether one still runs).
        environment: task.access.inspect
          ? { ...environment, STATE_MACHINE_ARN: stateMachineArn }
          : environment,
        memorySize: task.memoryMb,
        timeout: Duration.seconds(task.timeoutSecs),
      });
      grantTaskAccess(fn, task.access, targets, d.signerSecret.secretArn, props.bakeAlarms);
      substitutions[`${task.fn}FunctionArn`] = fn.functionArn;
      taskFunctions.push(fn);
      this.functions[`workflow/${task.handler}`] = fn;
    }
    // Under /aws/vendedlogs/states/: Step Functions' log delivery then fits CloudWatch's resource-policy size limit.
    const logs = new LogGroup(this, 'UpgradeExecutions', {
      logGroupName: `/aws/vendedlogs/states/${STATE_MACHINE_NAME}`,
      retention: RetentionDays.ONE_YEAR,
    });
    this.stateMachine = new StateMachine(this, 'Upgrade', {
      stateMachineName: STATE_MACHINE_NAME,
      definitionBody: DefinitionBody.fromFile(`${PROJECT_ROOT}/statemachines/upgrade.asl.json`),
      definitionSubstitutions: substitutions,
      logs: { destination: logs, level: LogLevel.ALL, includeExecutionData: true },
      tracingEnabled: true,
      timeout: Duration.seconds(WORKFLOW.executionTimeoutSecs),
    });
    // Exactly the Task functions (unqualified ARNs, as the ASL names them): nothing else, no ":*" versions.
    this.stateMachine.addToRolePolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: taskFunctions.map((f) => f.functionArn),
      }),
    );
    this.schedulerRole.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['states:StartExecution'],
        resources: [this.stateMachine.stateMachineArn],
      }),
    );

    // One function per API route.
    const apiEnvironment = {
      ...environment,
      STATE_MACHINE_ARN: stateMachineArn,
      SCHEDULE_GROUP: SCHEDULE_GROUP,
      SCHEDULER_ROLE_ARN: this.schedulerRole.roleArn,
    };
    for (const route of ROUTES) {
      if (this.functions[route.handler]) continue;
      const fn = new ProjectFunction(
        this,
        `Api${route.handler.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`,
        {
          entry: `lambdas/${route.handler}.ts`,
          description: `${route.method} ${route.resource}`,
          environment: apiEnvironment,
        },
      );
      const access = ROUTE_ACCESS[route.handler];
      if (!access) throw new Error(`no access declared for handler ${route.handler}`);
      grantAccess(fn, access, targets);
      this.functions[route.handler] = fn;
    }
    this.api = new ControlPlaneApi(this, 'Api', { functions: this.functions });
    const watchers = new UpgradeWatchers(this, 'Watchers', {
      stateMachine: this.stateMachine,
      environment,
      targets,
    });
    new ControlPlaneAlarms(this, 'Alarms', {
      topic: d.alarmTopic,
      stateMachine: this.stateMachine,
      functions: [...Object.values(this.functions), watchers.drainGauges, watchers.proposalSweep],
      api: this.api.restApi,
    });
  }
}
