import { Duration } from 'aws-cdk-lib';
import type { RestApi } from 'aws-cdk-lib/aws-apigateway';
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
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface AlarmsProps {
  readonly topic: Topic;
  readonly stateMachine: StateMachine;
  readonly functions: LambdaFunction[];
  readonly api: RestApi;
}

const NAMESPACE = 'UpgradeControlPlane';
/** Two metrics (Errors, Throttles) per function; CloudWatch allows at most 10 metrics in an alarm's math. */
export const FUNCTIONS_PER_ALARM = 5;
const metric = (name: string, statistic = 'Maximum', period = Duration.minutes(1)) =>
  new Metric({
    namespace: NAMESPACE,
    metricName: name,
    dimensionsMap: { service: 'upgrade-control-plane' },
    statistic,
    period,
  });

/** The seeds' alerts as CloudWatch alarms on the handlers' EMF metrics, plus executions and functions; one dashboard. */
export class ControlPlaneAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    const action = new SnsAction(props.topic);
    const add = (alarm: Alarm) => {
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
      return alarm;
    };
    add(
      new Alarm(this, 'UpgradeDrainTimeout', {
        alarmName: 'UpgradeDrainTimeout',
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
        alarmName: 'UpgradeInflightStuck',
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
        alarmName: 'UpgradeRollbackOccurred',
        alarmDescription: 'An upgrade was rolled back in the last hour (seeds: UpgradeRollbackOccurred).',
        metric: metric('UpgradeRollbacks', 'Sum', Duration.hours(1)),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }),
    );
    for (const [name, m] of [
      ['ExecutionsFailed', props.stateMachine.metricFailed({ period: Duration.minutes(5) })],
      ['ExecutionsTimedOut', props.stateMachine.metricTimedOut({ period: Duration.minutes(5) })],
    ] as const) {
      add(
        new Alarm(this, `Upgrade${name}`, {
          alarmName: `Upgrade${name}`,
          alarmDescription: `Upgrade state machine: ${name}. Open the execution in the Step Functions console.`,
          metric: m,
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    // Errors and throttles of every function, five functions per alarm (an alarm's math may use at most 10
    // metrics): a handful of alarms instead of two per function, so the stack keeps room under CloudFormation's limit.
    for (let start = 0; start < props.functions.length; start += FUNCTIONS_PER_ALARM) {
      const group = props.functions.slice(start, start + FUNCTIONS_PER_ALARM);
      const usingMetrics: Record<string, Metric> = {};
      group.forEach((fn, i) => {
        usingMetrics[`e${i}`] = fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' });
        usingMetrics[`t${i}`] = fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' });
      });
      const n = start / FUNCTIONS_PER_ALARM + 1;
      add(
        new Alarm(this, `FunctionErrors${n}`, {
          alarmDescription: `Errors or throttles in ${group.map((fn) => fn.node.id).join(', ')}`,
          metric: new MathExpression({
            expression: `SUM([${Object.keys(usingMetrics).join(', ')}])`,
            usingMetrics,
            period: Duration.minutes(5),
            label: `errors and throttles (functions ${start + 1}-${start + group.length})`,
          }),
          threshold: 1,
          comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: TreatMissingData.NOT_BREACHING,
        }),
      );
    }
    new Dashboard(this, 'Dashboard', {
      dashboardName: 'upgrade-control-plane',
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
