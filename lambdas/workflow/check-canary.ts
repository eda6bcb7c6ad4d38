import { CloudWatchAlarms } from '../../shared/adapters/cloudwatch/cloudwatch-alarms.ts';
import type { AlarmSource } from '../../shared/upgrade/bake/alarm-source.ts';
import { checkBake } from '../../shared/upgrade/bake/bake-step.ts';
import { memoised } from '../compose/environment.ts';
import { workflowTask } from './workflow-task.ts';

const alarmSource = memoised(
  (env): AlarmSource => env.overrides.alarms ?? new CloudWatchAlarms(env.config.region),
);

/** Upgrade workflow Task "Bake the canary" (ASL placeholder ${CheckCanaryFunctionArn}): the bake, on canary.bake. */
export const handler = workflowTask(
  'Bake the canary',
  (svc, s, env) =>
    checkBake(svc, { ...s, config: { ...s.config, bake: s.config.canary?.bake ?? null } }, alarmSource(env)),
  { pollingStep: true },
);
