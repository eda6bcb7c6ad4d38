import { hasLockedFunds } from '../../domain/inflight.ts';
import { extendContractTimeouts } from '../contract/contract-snapshot.ts';
import { recordPatch, withPatches } from '../record-patch.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import { nextDrainWaitSecs } from '../workflow/drain-backoff.ts';
import { causeOf, type WorkflowState } from '../workflow-state.ts';
import { drainReason, finishUpgrade, stepCaller } from './common.ts';

/** Step 2: start the drain. A retry finds its own drain under way and goes on. */
export async function startUpgradeDrain(svc: UpgradeServices, s: WorkflowState) {
  const mode = await svc.fence.readMode();
  if (mode.mode !== 'Active' && mode.reason === drainReason(s)) return svc.drain.status();
  return svc.drain.startDrain(stepCaller(s), drainReason(s), s.config.drain_timeout_secs);
}

/**
 * Step 3: one look at the drain, with whether an operator asked to abort, and how long to wait before the next
 * look (`wait_secs`, growing with the drain's age: see nextDrainWaitSecs).
 */
export async function checkDrain(svc: UpgradeServices, s: WorkflowState) {
  const [status, record] = await Promise.all([svc.drain.status(), svc.upgrades.get(s.upgrade_id)]);
  const total = s.drain?.inflight_count ?? status.inflight_count;
  const drained = total ? 1 - status.inflight_count / total : 1;
  const wait_secs = drainWaitSecs(status, s, svc.clock.now());
  return withPatches(
    {
      ...status,
      abort_requested: record?.abort_requested === true,
      force_requested: !!record?.force_requested && status.mode === 'Draining',
      wait_secs,
    },
    recordPatch('progress', { progress_pct: 10 + Math.floor(30 * Math.max(0, drained)) }),
  );
}

/** How long to wait before the next look at this drain (see nextDrainWaitSecs); `checksBudget` as there. */
export function drainWaitSecs(
  status: { started_at: string | null; deadline: string | null },
  s: WorkflowState,
  now: number,
  checksBudget?: number,
): number {
  return nextDrainWaitSecs({
    elapsedSecs: status.started_at ? (now - Date.parse(status.started_at)) / 1000 : 0,
    remainingSecs: status.deadline ? (Date.parse(status.deadline) - now) / 1000 : null,
    pollIntervalSecs: s.config.poll_interval_secs,
    drainTimeoutSecs: s.config.drain_timeout_secs,
    ...(checksBudget ? { checksBudget } : {}),
  });
}

/**
 * Declare Drained: the drain timed out with `force_after_timeout` and no locked funds, or an operator asked for it
 * (POST /admin/drain/force during the drain), acknowledging locked funds or not, as recorded.
 */
export async function forceUpgradeDrain(svc: UpgradeServices, s: WorkflowState) {
  const record = await svc.upgrades.get(s.upgrade_id);
  return svc.drain.force(stepCaller(s), record?.force_requested?.acknowledge_locked_funds === true);
}

/**
 * Nothing was changed yet (no migration ran): cancel the drain so the old version admits intents again, and end
 * the upgrade, saying why: aborted, drain timed out (with the intents still inflight), or the step that failed.
 */
export async function cancelUpgradeDrain(svc: UpgradeServices, s: WorkflowState) {
  const mode = await svc.fence.readMode();
  if (mode.mode === 'Draining' || mode.mode === 'Drained') await svc.drain.cancel(stepCaller(s));
  const record = await svc.upgrades.get(s.upgrade_id);
  if (record?.abort_requested) {
    await finishUpgrade(svc, s, 'aborted', 'aborted by an operator during the drain; old version resumed');
    return { reason: 'aborted' };
  }
  if (!s.error && s.drain?.deadline_exceeded) {
    const remaining = await svc.inflight.list({ limit: 1000 });
    const locked = remaining.intents.filter(hasLockedFunds);
    const message =
      `drain timed out after ${s.config.drain_timeout_secs} s with ${remaining.intents.length} intents inflight ` +
      `(${locked.length} with locked funds): ${remaining.intents
        .map((i) => i.id)
        .slice(0, 50)
        .join(', ')}; ` +
      `old version ${s.from_version} resumed`;
    await finishUpgrade(svc, s, 'failed', message, {
      remaining_intents: remaining.intents.map((i) => i.id),
      with_locked_funds: locked.map((i) => i.id),
    });
    return { reason: 'drain_timeout', remaining: remaining.intents.length, with_locked_funds: locked.length };
  }
  const cause = causeOf(s.error);
  await finishUpgrade(svc, s, 'failed', `${cause}; drain cancelled, old version ${s.from_version} resumed`);
  return { reason: 'failed', cause };
}

/** Step 4: give the remaining inflight work more time (recorded on each intent for the services to honour). */
export async function extendTimeouts(svc: UpgradeServices, s: WorkflowState) {
  const until = svc.clock.now() + s.config.extend_timeout_secs * 1000;
  let extended = 0;
  for await (const page of svc.records.pages()) {
    for (const r of page) {
      const next = {
        ...r,
        timeout_extended_until: until,
        timeout_extended_by_secs: s.config.extend_timeout_secs,
      };
      if ((await svc.records.putIfPresent(next)) === 'restored') extended++;
    }
  }
  const onChain = await extendContractTimeouts(svc, s);
  return { extended, on_chain: onChain, until: new Date(until).toISOString() };
}
