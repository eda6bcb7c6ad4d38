import { withDefaults } from '../../shared/upgrade/upgrade-config.ts';
import { StepFailure } from '../../shared/upgrade/workflow-state.ts';
import { runtime } from '../http/runtime.ts';
import { UpgradeStartBody } from '../http/schemas.ts';

interface ScheduledInput {
  readonly request: unknown;
  readonly execution_name: string;
  readonly execution_id: string | null;
}

/** Upgrade workflow Task "Register scheduled upgrade" (ASL placeholder ${RegisterScheduledFunctionArn}). */
export const handler = async (event: ScheduledInput) => {
  const { config, cp, upgrades } = runtime();
  await cp.init();
  const parsed = UpgradeStartBody.safeParse(event.request);
  if (!parsed.success)
    throw new StepFailure(
      'InvalidScheduledRequest',
      `the schedule's upgrade request is invalid: ${parsed.error.message}`,
    );
  return upgrades.registerScheduled(
    event.execution_name,
    event.execution_id,
    withDefaults(parsed.data, config.pollIntervalSecs),
  );
};
