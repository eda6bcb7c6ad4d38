import type { UpgradeServices } from '../../shared/upgrade/upgrade-services.ts';
import type { WorkflowState } from '../../shared/upgrade/workflow-state.ts';
import { logger, runtime } from '../http/runtime.ts';

export type StepFn = (svc: UpgradeServices, state: WorkflowState) => Promise<unknown>;

const summarise = (value: unknown): Record<string, unknown> | null => {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value);
  return text.length <= 4000
    ? (JSON.parse(text) as Record<string, unknown>)
    : { truncated: text.slice(0, 4000) };
};

/**
 * A workflow Task as a Lambda handler: records the step's start, end, outcome and cause in the upgrade's history
 * (so GET /admin/upgrades/{id} shows every step on AWS and locally alike), and rethrows failures with their name,
 * which Step Functions matches in Retry and Catch. `pollingStep` keeps one history entry however often it runs.
 */
export function workflowTask(label: string, step: StepFn, opts: { pollingStep?: boolean } = {}) {
  return async (event: WorkflowState): Promise<unknown> => {
    const { cp } = runtime();
    const svc = cp.upgrade;
    const started = svc.clock.now();
    const seq = opts.pollingStep ? `~${label}` : `${new Date(started).toISOString()}#${label}`;
    const base = { upgrade_id: event.upgrade_id, seq, name: label, started_at: started };
    const log = logger.createChild({ persistentKeys: { upgrade_id: event.upgrade_id, step: label } });
    await svc.upgrades.update(event.upgrade_id, { current_step: label });
    if (!opts.pollingStep)
      await svc.upgrades.putStep({ ...base, ended_at: null, outcome: 'running', cause: null, detail: null });
    try {
      const result = await step(svc, event);
      await svc.upgrades.putStep({
        ...base,
        ended_at: svc.clock.now(),
        outcome: 'succeeded',
        cause: null,
        detail: summarise(result),
      });
      log.info('step succeeded');
      return result ?? {};
    } catch (err) {
      const e = err as Error;
      await svc.upgrades
        .putStep({
          ...base,
          ended_at: svc.clock.now(),
          outcome: 'failed',
          cause: `${e.name}: ${e.message}`,
          detail: null,
        })
        .catch(() => {}); // the failure itself matters more than recording it
      log.warn('step failed', { error: e });
      throw err;
    }
  };
}
