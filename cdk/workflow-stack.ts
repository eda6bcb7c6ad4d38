import { ArnFormat, Aws, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { DefinitionBody, LogLevel, StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { WORKFLOW, WORKFLOW_TASK_ENTRIES } from '../shared/upgrade/workflow/definition.ts';
import { type AccessTargets, grantTaskAccess } from './access.ts';
import { FunctionAlarms } from './function-alarms.ts';
import { functionEnvironment } from './function-environment.ts';
import { PROJECT_ROOT, ProjectFunction } from './project-function.ts';
import type { ServiceSettings } from './service-settings.ts';
import type { StatefulStack } from './stateful-stack.ts';
import { UpgradeWatchers } from './upgrade-watchers.ts';

/** The data stack its functions use, and the settings. */
export interface WorkflowStackProps extends StackProps {
  readonly data: StatefulStack;
  readonly settings: ServiceSettings;
}

/** What the workflow's functions and the routes reach it by (names derived from the instance, ARNs of this stack). */
export function workflowTargets(
  stack: Stack,
  d: StatefulStack,
  s: ServiceSettings,
  schedulerRoleArn: string,
) {
  const arn = (service: string, resource: string, resourceName: string, colon = false) =>
    stack.formatArn({
      service,
      resource,
      resourceName,
      ...(colon ? { arnFormat: ArnFormat.COLON_RESOURCE_NAME } : {}),
    });
  return {
    control: d.controlTable,
    intents: d.intentsTable,
    bucket: d.checkpointBucket,
    key: d.key,
    stateMachineArn: arn('states', 'stateMachine', s.names.stateMachine, true),
    stateMachineName: s.names.stateMachine,
    scheduleGroupArn: arn('scheduler', 'schedule-group', s.names.scheduleGroup),
    scheduleGroupName: s.names.scheduleGroup,
    schedulerRoleArn,
    proposalTopicArn: d.proposalTopic.topicArn,
  } satisfies AccessTargets;
}

/** The upgrade state machine, its Task functions, the schedule group and the watchers (recovery, gauges, sweep). */
export class WorkflowStack extends Stack {
  readonly stateMachine: StateMachine;
  readonly schedulerRole: Role;
  readonly watchers: UpgradeWatchers;
  readonly functions: Record<string, ProjectFunction> = {};

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { data: d, settings: s } = props;
    // Only EventBridge Scheduler acting for this account may assume it (confused-deputy guard).
    this.schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: 'EventBridge Scheduler: may start only the upgrade state machine',
    });
    new CfnScheduleGroup(this, 'Schedules', { name: s.names.scheduleGroup });
    const environment = functionEnvironment(d, s);
    const targets = workflowTargets(this, d, s, this.schedulerRole.roleArn);

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
          ? { ...environment, STATE_MACHINE_ARN: targets.stateMachineArn }
          : environment,
        memorySize: task.memoryMb,
        timeout: Duration.seconds(task.timeoutSecs),
      });
      grantTaskAccess(fn, task.access, targets, d.signerSecret.secretArn, s.bakeAlarms);
      substitutions[`${task.fn}FunctionArn`] = fn.functionArn;
      taskFunctions.push(fn);
      this.functions[`workflow/${task.handler}`] = fn;
    }
    // Under /aws/vendedlogs/states/ (Step Functions' log delivery then fits CloudWatch's resource-policy size
    // limit), retained for audit, and named after this stack's own id: a stack deleted and deployed again makes a
    // new group instead of failing on the retained one.
    const logs = new LogGroup(this, 'UpgradeExecutions', {
      logGroupName: `${s.names.executionLogsPrefix}${Fn.select(2, Fn.split('/', Aws.STACK_ID))}`,
      retention: RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.stateMachine = new StateMachine(this, 'Upgrade', {
      stateMachineName: s.names.stateMachine,
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
    this.watchers = new UpgradeWatchers(this, 'Watchers', {
      stateMachine: this.stateMachine,
      environment,
      targets,
    });
    new FunctionAlarms(this, 'TaskAlarms', {
      topic: d.alarmTopic,
      functions: [
        ...taskFunctions,
        this.watchers.drainGauges,
        this.watchers.proposalSweep,
        this.watchers.protocolTick,
      ],
    });
  }
}
