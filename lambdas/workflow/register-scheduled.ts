import { DomainError } from '../../shared/domain/errors.ts';
import { withDefaults } from '../../shared/upgrade/upgrade-config.ts';
import type { WorkflowState } from '../../shared/upgrade/workflow-state.ts';
import { bindable } from '../compose/aws-environment.ts';
import { proposalServices } from '../compose/proposal-services.ts';
import { UpgradeStartBody } from '../http/schemas.ts';

interface ScheduledInput {
  readonly request: unknown;
  /** The execution's whole input: `schedule_name` rides along (absent in inputs of older schedules). */
  readonly input?: { schedule_name?: unknown } | null;
  readonly execution_name: string;
  readonly execution_id: string | null;
}

const text = (v: unknown, fallback: string) => (typeof v === 'string' && v ? v.slice(0, 500) : fallback);

/** Upgrade workflow Task "Register scheduled upgrade" (ASL placeholder ${RegisterScheduledFunctionArn}). */
export const handler = bindable((envOf) => async (event: ScheduledInput) => {
  const services = proposalServices(envOf());
  const { config, cp, upgrades } = services;
  await cp.init();
  const name = event.input?.schedule_name;
  const ref = {
    executionName: event.execution_name,
    executionArn: event.execution_id,
    scheduleName: typeof name === 'string' ? name : null,
  };
  const req = (event.request ?? {}) as Record<string, unknown>;
  const fallback = withDefaults(
    { target_version: text(req.target_version, 'unknown'), reason: text(req.reason, '-') },
    config.pollIntervalSecs,
  );
  if (typeof req.proposal_id === 'string') {
    // A schedule of an approved proposal: it runs if the proposal is still executable, else a refused entry says why.
    return refusedOr(() => services.scheduled.executeScheduled(ref, req.proposal_id as string, fallback));
  }
  const parsed = UpgradeStartBody.safeParse(event.request);
  if (!parsed.success) {
    const reason = `the schedule's upgrade request is invalid: ${parsed.error.message}`;
    await upgrades.refuseScheduled(ref, fallback, reason);
    return { refused: true, reason: `InvalidScheduledRequest: ${reason}` };
  }
  const upgrade = withDefaults(parsed.data, config.pollIntervalSecs);
  return refusedOr(() =>
    upgrades.registerScheduled(ref.executionName, ref.executionArn, upgrade, ref.scheduleName),
  );
});

/**
 * Refused (another upgrade running, not Active, too soon, limits, proposal not executable): recorded in the history
 * by the service; a planned outcome, returned rather than thrown so it is no function error and no failed execution.
 */
async function refusedOr(register: () => Promise<WorkflowState>) {
  try {
    return { ...(await register()), refused: false };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return { refused: true, reason: `${err.name}: ${err.message}` };
  }
}
