import { Duration } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction, SfnStateMachine } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { type AccessTargets, grantAccess } from './access.ts';
import { ProjectFunction } from './project-function.ts';

export interface UpgradeWatchersProps {
  readonly stateMachine: StateMachine;
  readonly environment: Record<string, string>;
  readonly targets: AccessTargets;
}

/**
 * What keeps watch when nobody does: a rule that starts recovery whenever an upgrade execution ends FAILED,
 * TIMED_OUT or ABORTED (so a dead execution never leaves the system fenced: recovery skips upgrades that ended
 * properly), a per-minute emitter of the drain gauges (so the drain alarms need no one polling the status), the
 * proposals' sweep and the protocol rollouts' tick.
 */
export class UpgradeWatchers extends Construct {
  readonly drainGauges: ProjectFunction;
  readonly proposalSweep: ProjectFunction;
  readonly protocolTick: ProjectFunction;
  readonly undelivered: Queue;

  constructor(scope: Construct, id: string, props: UpgradeWatchersProps) {
    super(scope, id);
    const machine = props.stateMachine;
    // A recovery that could not even be started (after every retry) is kept here, for an operator to replay.
    this.undelivered = new Queue(this, 'UndeliveredRecoveries', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    new Rule(this, 'RecoverDeadExecutions', {
      description: 'An upgrade execution ended FAILED, TIMED_OUT or ABORTED: start its recovery',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [machine.stateMachineArn],
          // A recovery's own end never starts another recovery (no loop).
          name: [{ 'anything-but': { prefix: 'recover-' } }],
        },
      },
      targets: [
        new SfnStateMachine(machine, {
          input: RuleTargetInput.fromObject({
            recover: {
              upgrade_id: EventField.fromPath('$.detail.name'),
              reason: EventField.fromPath('$.detail.status'),
              by_operator: false,
            },
          }),
          retryAttempts: 10,
          maxEventAge: Duration.hours(2),
          deadLetterQueue: this.undelivered,
        }),
      ],
    });
    this.drainGauges = new ProjectFunction(scope, 'DrainGauges', {
      entry: 'lambdas/drain-gauges.ts',
      description: 'every minute: the drain gauges for the drain alarms',
      environment: props.environment,
    });
    grantAccess(this.drainGauges, { control: 'write', intents: 'read' }, props.targets);
    new Rule(this, 'EmitDrainGauges', {
      description: 'The drain gauges every minute, whether or not anyone polls the drain status',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.drainGauges)],
    });
    // Timelocks end and proposals expire by the clock alone: announced within a minute, once each.
    this.proposalSweep = new ProjectFunction(scope, 'ProposalSweep', {
      entry: 'lambdas/proposal-sweep.ts',
      description: 'every minute: announce ended timelocks and expired proposals',
      environment: props.environment,
    });
    grantAccess(this.proposalSweep, { control: 'write', notify: true }, props.targets);
    new Rule(this, 'SweepProposals', {
      description: 'Announces proposals whose timelock ended or which expired',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.proposalSweep)],
    });
    // A protocol rollout's phases change by the clock (and by the end of a conversion): a step every minute, from
    // the rollout's stored record, so a lost invocation is made up by the next. The tick converts for 40 s at most.
    this.protocolTick = new ProjectFunction(scope, 'ProtocolRolloutTick', {
      entry: 'lambdas/protocol-rollout-tick.ts',
      description: 'every minute: one step of the unfinished protocol rollout (phase timers, conversion)',
      environment: props.environment,
      timeout: Duration.seconds(60),
    });
    grantAccess(this.protocolTick, { control: 'write', intents: 'convert', notify: true }, props.targets);
    new Rule(this, 'TickProtocolRollout', {
      description: 'Moves the unfinished protocol rollout on: phase timers, in-place conversion of intents',
      schedule: Schedule.rate(Duration.minutes(1)),
      targets: [new LambdaFunction(this.protocolTick)],
    });
  }
}
