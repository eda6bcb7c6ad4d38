import { CloudWatchAlarms } from '../../shared/adapters/cloudwatch/cloudwatch-alarms.ts';
import type { AlarmSource } from '../../shared/upgrade/bake/alarm-source.ts';
import { checkBake } from '../../shared/upgrade/bake/bake-step.ts';
import { memoised } from '../compose/environment.ts';
import { chainTask } from './chain-task.ts';

/** The environment's own alarms (the embedded runtime's alarm file), else CloudWatch. */
const alarmSource = memoised((env): AlarmSource => {
  return env.overrides.alarms ?? new CloudWatchAlarms(env.config.region);
});

/** Upgrade workflow Task "Bake on target version" (ASL placeholder ${CheckBakeFunctionArn}); a chain Task for the ibc_pending trigger. */
export const handler = chainTask(
  'Bake on target version',
  (svc, s, env) => checkBake(svc, s, alarmSource(env)),
  { pollingStep: true },
);
