import { recordPatch, withPatches } from '../record-patch.ts';
import { canaryReplicas } from '../rolling/canary-replicas.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import type { WorkflowState } from '../workflow-state.ts';
import type { AlarmSource } from './alarm-source.ts';
import { countsOutcomes } from './bake-spec.ts';
import type { BakeState } from './bake-state.ts';
import { readTriggers } from './triggers.ts';

/**
 * "Bake on target version": one look at the rollback triggers (after the warm-up), the operator's abort and
 * promote. Tripped when a trigger fires or an operator aborts; passed when the duration is over or an operator
 * promoted it; else baking, with the wait before the next look. Saved in the upgrade record for the status.
 */
export async function checkBake(
  svc: UpgradeServices,
  s: WorkflowState,
  alarms: AlarmSource,
): Promise<BakeState> {
  const spec = s.config.bake;
  if (!spec) throw new Error('checkBake without a bake section');
  const now = svc.clock.now();
  const started = s.bake?.started_at ?? now;
  const ends = started + spec.duration_secs * 1000;
  // Completions count their outcome from the bake's first look (a crash-resumed bake keeps its start) to its end.
  // A canary's bake (a rolling release) counts only the completions of the intents its replicas own.
  if (countsOutcomes(spec) && !s.bake) {
    const owners = s.config.strategy === 'rolling' ? await canaryReplicas(svc, s) : null;
    await svc.outcomes.begin({
      upgradeId: s.upgrade_id,
      since: now,
      until: ends,
      ...(owners ? { owners } : {}),
    });
  }
  const record = await svc.upgrades.get(s.upgrade_id);
  const base = { started_at: started, ends_at: ends, failures: s.bake?.failures ?? {}, promoted_by: null };
  let bake: BakeState;
  if (record?.abort_requested) {
    const trigger = 'an operator aborted the upgrade during the bake';
    bake = {
      ...base,
      verdict: 'tripped',
      wait_secs: 0,
      readings: s.bake?.readings ?? [],
      trigger,
      aborted: true,
    };
  } else if (record?.bake_promoted_by) {
    const by = record.bake_promoted_by;
    bake = {
      ...base,
      verdict: 'passed',
      wait_secs: 0,
      readings: s.bake?.readings ?? [],
      trigger: null,
      aborted: false,
      promoted_by: by,
    };
  } else {
    const warm = now - started >= spec.warmup_secs * 1000;
    const read = warm
      ? await readTriggers(svc, s, alarms, s.bake?.failures ?? {})
      : { readings: [], failures: s.bake?.failures ?? {} };
    const fired = read.readings.find((r) => r.fired);
    const left = Math.ceil((ends - now) / 1000);
    bake = {
      ...base,
      failures: read.failures,
      readings: read.readings,
      verdict: fired ? 'tripped' : left <= 0 ? 'passed' : 'baking',
      wait_secs: Math.max(1, Math.min(spec.check_interval_secs, left)),
      trigger: fired ? `${fired.trigger}: ${fired.detail}` : null,
      aborted: false,
    };
  }
  if (bake.verdict !== 'baking' && countsOutcomes(spec)) await svc.outcomes.end(s.upgrade_id);
  return withPatches(
    bake,
    recordPatch('bake', {
      bake: {
        state: bake.verdict,
        started_at: started,
        ends_at: ends,
        readings: bake.readings,
        trigger: bake.trigger,
        checked_at: now,
      },
      progress_pct: bake.verdict === 'baking' ? 95 : 98,
    }),
  );
}
