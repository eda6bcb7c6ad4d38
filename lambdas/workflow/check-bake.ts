import { CloudWatchAlarms } from '../../shared/adapters/cloudwatch/cloudwatch-alarms.ts';
import { type AlarmSource, fileAlarmSource } from '../../shared/upgrade/bake/alarm-source.ts';
import { checkBake } from '../../shared/upgrade/bake/bake-step.ts';
import { runtime } from '../http/runtime.ts';
import { workflowTask } from './workflow-task.ts';

let alarms: AlarmSource | null = null;

/** CloudWatch on AWS; the embedded runtime's alarm file (LOCAL_ALARMS_FILE) locally. */
const alarmSource = (): AlarmSource => {
  const file = process.env.LOCAL_ALARMS_FILE;
  alarms ??= file ? fileAlarmSource(file) : new CloudWatchAlarms(runtime().config.region);
  return alarms;
};

/** Upgrade workflow Task "Bake on target version" (ASL placeholder ${CheckBakeFunctionArn}). */
export const handler = workflowTask('Bake on target version', (svc, s) => checkBake(svc, s, alarmSource()), {
  pollingStep: true,
});
