import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  MathExpression,
  Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { InstanceNames } from './instance.ts';

/** The alarm topic, the state machine watched, and the instance names (alarms, dashboard, metric dimension). */
export interface AlarmsProps {
  readonly topic: ITopic;
  readonly stateMachine: IStateMachine;
  readonly names: InstanceNames;
}

const NAMESPACE = 'UpgradeControlPlane';
/** A metric the handlers emit (EMF), of one instance (its `service` dimension). */
const metricOf =
  (service: string) =>
  (name: string, statistic = 'Maximum', period = Duration.minutes(1)) =>
    new Metric({ namespace: NAMESPACE, metricName: name, dimensionsMap: { service }, statistic, period });

/**
 * The seeds' alerts as CloudWatch alarms on the handlers' EMF metrics, plus executions; one dashboard. (Each
 * service stack alarms on its own functions' errors: function-alarms.ts.)
 */
export class ControlPlaneAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const metric = metricOf(props.names.service);
    const action = new SnsAction(props.topic);
    const add = (alarm: Alarm) => {
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
      return alarm;
    };
    add(
      new Alarm(this, 'UpgradeDrainTimeout', {
        alarmName: props.names.alarm('UpgradeDrainTimeout'),
        alarmDescription:
          'A drain has lasted longer than its drain_timeout_secs (seeds: UpgradeDrainTimeout).',
        metric: metric('DrainDeadlineExceeded'),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 5,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      new Alarm(this, 'UpgradeInflightStuck', {
        alarmName: props.names.alarm('UpgradeInflightStuck'),
        alarmDescription:
          'Draining, intents inflight, and the count has not fallen for 10 minutes (seeds: UpgradeInflightStuck).',
        metric: new MathExpression({
          expression: 'IF(mode == 1 AND inflight > 0 AND DIFF(inflight) >= 0, 1, 0)',
          usingMetrics: {
            mode: metric('DrainMode', 'Maximum', Duration.minutes(5)),
            inflight: metric('InflightCount', 'Minimum', Duration.minutes(5)),
          },
          period: Duration.minutes(5),
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 2,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    add(
      new Alarm(this, 'UpgradeRollbackOccurred', {
        alarmName: props.names.alarm('UpgradeRollbackOccurred'),
        alarmDescription: 'An upgrade was rolled back in the last hour (seeds: UpgradeRollbackOccurred).',
        metric: metric('UpgradeRollbacks', 'Sum', Duration.hours(1)),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const [name, metricName, description] of [
      [
        'SmokeTestFailed',
        'SmokeTestFailed',
        'An upgrade resumed on its new version, but its smoke test (register and complete a test intent) failed. Nothing was rolled back: check GET /admin/upgrades/{id} (deployment.smoke_test), and POST /admin/upgrade/abort during a bake to roll back.',
      ],
      [
        'IbcPacketsTimedOut',
        'IbcPacketsTimedOut',
        'IBC packets that were pending when an upgrade took its checkpoint timed out during the upgrade: their transfers were refunded and their intents failed. See GET /admin/upgrades/{id} (ibc_verification.timed_out_during_upgrade) and the runbook section "IBC packets, recovery".',
      ],
      [
        'UnapprovedExecutionRefused',
        'UnapprovedExecutionRefused',
        'An execution of the upgrade state machine was refused before draining: it was not a registered, approved upgrade. Nothing changed; find who started it in the audit trail and the upgrade history (outcome refused).',
      ],
    ] as const) {
      add(
        new Alarm(this, `Upgrade${name}`, {
          alarmName: props.names.alarm(`Upgrade${name}`),
          alarmDescription: description,
          metric: metric(metricName, 'Sum', Duration.hours(1)),
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    for (const [name, m] of [
      ['ExecutionsFailed', props.stateMachine.metricFailed({ period: Duration.minutes(5) })],
      ['ExecutionsTimedOut', props.stateMachine.metricTimedOut({ period: Duration.minutes(5) })],
    ] as const) {
      add(
        new Alarm(this, `Upgrade${name}`, {
          alarmName: props.names.alarm(`Upgrade${name}`),
          alarmDescription: `Upgrade state machine: ${name}. Open the execution in the Step Functions console.`,
          metric: m,
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    new Dashboard(this, 'Dashboard', {
      dashboardName: props.names.dashboard,
      widgets: [
        [
          new GraphWidget({
            title: 'Drain mode (0 active, 1 draining, 2 drained, 3 upgrading, 4 resuming)',
            left: [metric('DrainMode')],
          }),
          new GraphWidget({ title: 'Inflight intents', left: [metric('InflightCount')] }),
          new GraphWidget({ title: 'Drain duration (s)', left: [metric('DrainElapsedSeconds')] }),
        ],
        [
          new GraphWidget({
            title: 'Upgrade duration (s)',
            left: [metric('UpgradeDurationSeconds', 'Maximum', Duration.hours(1))],
          }),
          new GraphWidget({
            title: 'Upgrade executions',
            left: [
              props.stateMachine.metricStarted(),
              props.stateMachine.metricSucceeded(),
              props.stateMachine.metricFailed(),
              props.stateMachine.metricTimedOut(),
            ],
          }),
          new GraphWidget({
            title: 'Rollbacks',
            left: [metric('UpgradeRollbacks', 'Sum', Duration.hours(1))],
          }),
        ],
      ],
    });
  }
}
