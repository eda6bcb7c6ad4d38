import { runChecks } from '../../health/health.ts';
import { canaryReplicas } from '../rolling/canary-replicas.ts';
import { blocking, describeChecks } from '../steps/common.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import type { WorkflowState } from '../workflow-state.ts';
import type { AlarmSource } from './alarm-source.ts';
import type { BakeTrigger } from './bake-spec.ts';
import type { TriggerReading } from './bake-state.ts';
import { packetsNotRelayed } from './ibc-pending-trigger.ts';

export const triggerName = (t: BakeTrigger): string => {
  switch (t.type) {
    case 'alarm':
      return `alarm ${t.names.join(', ')}`;
    case 'health':
      return `health ${t.check.name}`;
    case 'stuck_inflight':
      return `stuck_inflight > ${t.max_age_secs} s`;
    case 'intent_failures':
      return `intent_failures > ${t.max_pct} %`;
    case 'ibc_pending':
      return `ibc_pending after ${t.after_secs} s`;
  }
};

/**
 * The share of completions since the resume that failed (in a rolling release's canary bake: of the intents the
 * canary owns), judged only from `min_samples` completions on.
 */
async function failureShare(
  svc: UpgradeServices,
  s: WorkflowState,
  t: Extract<BakeTrigger, { type: 'intent_failures' }>,
): Promise<{ fired: boolean; detail: string }> {
  const n = await svc.outcomes.totals(s.upgrade_id);
  const samples = n.settled + n.failed + n.refunded;
  const pct = samples ? (100 * n.failed) / samples : 0;
  const whose = s.config.strategy === 'rolling' ? " of the canary's intents" : '';
  const shown = `${n.failed} of ${samples} completions${whose} failed (${pct.toFixed(1)} %)`;
  if (samples < t.min_samples)
    return { fired: false, detail: `${shown}: fewer than ${t.min_samples}, not judged yet` };
  return { fired: pct > t.max_pct, detail: `${shown}, limit ${t.max_pct} %` };
}

/** A rolling release's canary: the intents its replicas (those running the release) own, inflight past `maxAgeSecs`. */
async function stuckOnCanary(svc: UpgradeServices, s: WorkflowState, maxAgeSecs: number): Promise<string[]> {
  const now = svc.clock.now();
  const canary = await canaryReplicas(svc, s);
  const stuck: string[] = [];
  for (const owner of canary) {
    let cursor: string | undefined;
    do {
      const page = await svc.inflight.list({ owner, limit: 1000, cursor });
      for (const i of page.intents) if (now - i.created_at > maxAgeSecs * 1000) stuck.push(i.id);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return stuck;
}

/** Intents admitted on the target version (since the resume) still inflight after `maxAgeSecs`. */
async function stuckOnTarget(svc: UpgradeServices, s: WorkflowState, maxAgeSecs: number): Promise<string[]> {
  if (s.config.strategy === 'rolling') return stuckOnCanary(svc, s, maxAgeSecs);
  const now = svc.clock.now();
  const stuck: string[] = [];
  for await (const page of svc.records.pages()) {
    for (const r of page) {
      const created = Number(r.created_at ?? now);
      if (
        r.protocol_version === s.config.target_version &&
        !r.smoke_test &&
        now - created > maxAgeSecs * 1000
      )
        stuck.push(String(r.id));
    }
  }
  return stuck;
}

/**
 * Reads every trigger once. Health triggers count consecutive failures across reads (`failures`, carried in the
 * workflow state), so one blip does not roll back an upgrade.
 */
export async function readTriggers(
  svc: UpgradeServices,
  s: WorkflowState,
  alarms: AlarmSource,
  failures: Record<string, number>,
): Promise<{ readings: TriggerReading[]; failures: Record<string, number> }> {
  const next: Record<string, number> = {};
  const readings = await Promise.all(
    (s.config.bake?.triggers ?? []).map(async (t): Promise<TriggerReading> => {
      const trigger = triggerName(t);
      if (t.type === 'alarm') {
        const firing = await alarms.inAlarm(t.names);
        return {
          trigger,
          fired: firing.length > 0,
          detail: firing.length ? `in ALARM: ${firing.join(', ')}` : 'OK',
        };
      }
      if (t.type === 'health') {
        const results = await runChecks(svc.checksFor([t.check]), s.config.check_timeout_secs);
        const bad = blocking(results, s.config.allow_degraded, [t.check]);
        const count = bad.length ? (failures[trigger] ?? 0) + 1 : 0;
        next[trigger] = count;
        const detail = bad.length
          ? `${describeChecks(bad)}, ${count} of ${t.consecutive} in a row`
          : 'Healthy';
        return { trigger, fired: count >= t.consecutive, detail };
      }
      if (t.type === 'intent_failures') return { trigger, ...(await failureShare(svc, s, t)) };
      if (t.type === 'ibc_pending') return { trigger, ...(await packetsNotRelayed(svc, s, t.after_secs)) };
      const stuck = await stuckOnTarget(svc, s, t.max_age_secs);
      return {
        trigger,
        fired: stuck.length > 0,
        detail: stuck.length ? `${stuck.length} stuck: ${stuck.slice(0, 10).join(', ')}` : 'none stuck',
      };
    }),
  );
  return { readings, failures: next };
}
