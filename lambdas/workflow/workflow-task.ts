import { unavailableCause } from '../../shared/adapters/unavailable.ts';
import { DomainError } from '../../shared/domain/errors.ts';
import { patchesOf, recordPatch, writeRecord } from '../../shared/upgrade/record-patch.ts';
import type { UpgradeServices } from '../../shared/upgrade/upgrade-services.ts';
import { DEPENDENCY_UNAVAILABLE } from '../../shared/upgrade/workflow/generate-asl.ts';
import type { WorkflowState } from '../../shared/upgrade/workflow-state.ts';
import { adminServices } from '../compose/admin-services.ts';
import { bindable } from '../compose/aws-environment.ts';
import type { Environment } from '../compose/environment.ts';
import { logger } from '../telemetry/logger.ts';

/** A step's logic: the upgrade services and the state; the environment for a step that needs a port of its own. */
export type StepFn = (svc: UpgradeServices, state: WorkflowState, env: Environment) => Promise<unknown>;

const summarise = (value: unknown): Record<string, unknown> | null => {
  if (value === undefined || value === null) return null;
  const text = JSON.stringify(value);
  return text.length <= 4000
    ? (JSON.parse(text) as Record<string, unknown>)
    : { truncated: text.slice(0, 4000) };
};

/**
 * The error as Step Functions should see it: a dependency's transient failure (the SDK's attempts spent on a
 * timeout, throttling, a refused connection or a 5xx) under the one name idempotent Tasks retry, the original kept
 * in the message and as the cause; anything else (a refusal, a failed check, a bug) as it is.
 */
function forWorkflow(err: unknown): unknown {
  if (err instanceof DomainError) return err;
  const why = unavailableCause(err);
  if (!why) return err;
  const e = err as Error;
  const wrapped = new Error(`${why}: ${e.message}`, { cause: err });
  wrapped.name = DEPENDENCY_UNAVAILABLE;
  return wrapped;
}

/**
 * A workflow Task as a Lambda handler: writes the record patches the step returns (withPatches), records the step's
 * start, end, outcome and cause in the upgrade's history (so GET /admin/upgrades/{id} shows every step on AWS and
 * locally alike), and rethrows failures with their name, which Step Functions matches in Retry and Catch (a
 * dependency's transient failure as DependencyUnavailable). `pollingStep` keeps one history entry however often it
 * runs; `perComponent` names the component the workflow's iterator is at in the step's name. On Lambda it runs in the AWS environment (`envOf` for one with ports of its own); `withEnvironment` binds it
 * to another.
 */
export function workflowTask(
  stepName: string,
  step: StepFn,
  opts: { pollingStep?: boolean; envOf?: () => Environment; perComponent?: boolean } = {},
) {
  return bindable(
    (envOf) =>
      async (event: WorkflowState): Promise<unknown> => {
        const env = envOf();
        const svc = adminServices(env).cp.upgrade;
        const started = svc.clock.now();
        // A step of the component iterator is a step of its own per component ("Migrate contract: escrow").
        const component = opts.perComponent ? event.cursor?.component?.name : undefined;
        const label = component ? `${stepName}: ${component}` : stepName;
        const seq = opts.pollingStep ? `~${label}` : `${new Date(started).toISOString()}#${label}`;
        const base = { upgrade_id: event.upgrade_id, seq, name: label, started_at: started };
        const log = logger.createChild({ persistentKeys: { upgrade_id: event.upgrade_id, step: label } });
        await writeRecord(svc.upgrades, event.upgrade_id, recordPatch('progress', { current_step: label }));
        if (!opts.pollingStep)
          await svc.upgrades.putStep({
            ...base,
            ended_at: null,
            outcome: 'running',
            cause: null,
            detail: null,
          });
        try {
          const result = await step(svc, event, env);
          // The record patches the step returned: the one place a step's record changes are written.
          for (const patch of patchesOf(result)) await writeRecord(svc.upgrades, event.upgrade_id, patch);
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
          throw forWorkflow(err);
        }
      },
    opts.envOf,
  );
}
