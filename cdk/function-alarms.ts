import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  type Metric,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Two metrics (Errors, Throttles) per function; CloudWatch allows at most 10 metrics in an alarm's math. */
export const FUNCTIONS_PER_ALARM = 5;

/** The topic alarms notify, and the functions to watch. */
export interface FunctionAlarmsProps {
  readonly topic: ITopic;
  readonly functions: LambdaFunction[];
}

/**
 * Errors and throttles of a stack's functions, five functions per alarm (an alarm's math may use at most 10
 * metrics): a handful of alarms instead of two per function, in the stack that owns the functions (no export each).
 */
export class FunctionAlarms extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: FunctionAlarmsProps) {
    super(scope, id);
    const action = new SnsAction(props.topic);
    for (let start = 0; start < props.functions.length; start += FUNCTIONS_PER_ALARM) {
      const group = props.functions.slice(start, start + FUNCTIONS_PER_ALARM);
      const usingMetrics: Record<string, Metric> = {};
      group.forEach((fn, i) => {
        usingMetrics[`e${i}`] = fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' });
        usingMetrics[`t${i}`] = fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' });
      });
      const n = start / FUNCTIONS_PER_ALARM + 1;
      const alarm = new Alarm(this, `FunctionErrors${n}`, {
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
      });
      alarm.addAlarmAction(action);
      this.alarms.push(alarm);
    }
  }
}
