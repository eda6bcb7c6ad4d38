import type { InflightService } from '../domain/inflight-service.ts';
import type { UpgradeReads } from './upgrade-reads.ts';
import type { UpgradeStore } from './upgrade-record.ts';

/** Producers mark an intent in recovery by its phase: `Recovery`, `Recovering`, or any phase that starts so. */
export const RECOVERY_PHASE_PREFIX = 'Recover';

/** The steps whose runs count the attempts of a rollback. */
const ROLLBACK_ATTEMPT_STEPS = new Set(['Roll back to checkpoint', 'Recovering']);

/** What GET /admin/recovery/status shows: intents in recovery, and the control plane's own recovery, if any. */
export interface RecoveryStatus {
  readonly intents: {
    readonly count: number;
    readonly items: readonly { id: string; phase: string; protocol_version: string; age_secs: number }[];
    readonly next_cursor: string | null;
  };
  /** An upgrade being recovered or rolled back (or left for an operator), with its step and attempt; else null. */
  readonly upgrade: {
    readonly upgrade_id: string;
    readonly state: string;
    readonly step: string | null;
    readonly attempt: number;
    readonly next: string | null;
    readonly error: string | null;
  } | null;
}

/** The seeds' "Settlement in recovery: wait for recovery to complete": what is recovering, and what to wait for. */
export async function recoveryStatus(
  d: { inflight: InflightService; reads: UpgradeReads; upgrades: Pick<UpgradeStore, 'steps'> },
  page: { limit: number; cursor?: string | undefined },
  now: number,
): Promise<RecoveryStatus> {
  const [intents, status] = await Promise.all([
    d.inflight.list({ phase_prefix: RECOVERY_PHASE_PREFIX, limit: page.limit, cursor: page.cursor }),
    d.reads.status(),
  ]);
  const items = intents.intents.map((i) => ({
    id: i.id,
    phase: i.phase,
    protocol_version: i.protocol_version,
    age_secs: Math.max(0, Math.floor((now - i.created_at) / 1000)),
  }));
  const recovering =
    status.upgrade_id !== null &&
    (['recovering', 'interrupted', 'needs_operator'].includes(status.state) ||
      (status.state === 'running' && /^Roll |^Resume on previous|Recover/.test(status.current_step ?? '')));
  let upgrade: RecoveryStatus['upgrade'] = null;
  if (recovering && status.upgrade_id !== null) {
    const steps = await d.upgrades.steps(status.upgrade_id);
    upgrade = {
      upgrade_id: status.upgrade_id,
      state: status.state,
      step: status.current_step,
      attempt: Math.max(1, steps.filter((s) => ROLLBACK_ATTEMPT_STEPS.has(s.name)).length),
      next: status.next,
      error: status.error,
    };
  }
  return { intents: { count: items.length, items, next_cursor: intents.nextCursor }, upgrade };
}
