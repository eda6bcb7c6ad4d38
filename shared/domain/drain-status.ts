import { admitsIntents, type Mode, type ModeState } from './drain-mode.ts';
import type { Census, FenceSnapshot } from './ports.ts';

/** The seeds' DrainStatus, as the API returns it (timestamps ISO 8601), with what an operator needs beside it. */
export interface DrainStatus {
  readonly mode: Mode;
  readonly inflight_count: number;
  readonly oldest_inflight_age_secs: number | null;
  readonly completed_since_drain: number;
  readonly pending_ibc_packets: number;
  /** The earliest timeout of a pending packet (GET /admin/ibc/pending lists them), and the seconds left to it. */
  readonly nearest_ibc_timeout: string | null;
  readonly nearest_ibc_timeout_secs: number | null;
  readonly inflight_with_locked_funds: number;
  readonly reason: string | null;
  readonly started_at: string | null;
  readonly deadline: string | null;
  readonly deadline_exceeded: boolean;
  readonly forced: boolean;
  readonly version: string;
  readonly target_version: string | null;
  readonly admitting: boolean;
  readonly fence_closed: boolean;
}

export const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** Every gate is closed for the current fence, so no registration can commit until the mode reopens it. */
export const fenceClosed = (snap: FenceSnapshot, shardCount: number): boolean =>
  snap.gates.length === shardCount && snap.gates.every((g) => !g.open && g.rev >= snap.mode.fenceRev);

/** Some gate does not yet match what the mode wants (an interrupted mode change, or a new installation). */
export const staleGates = (snap: FenceSnapshot, shardCount: number): boolean => {
  const open = admitsIntents(snap.mode.mode);
  return (
    snap.gates.length !== shardCount ||
    snap.gates.some(
      (g) => g.open !== open || g.rev < snap.mode.fenceRev || (open && g.version !== snap.mode.version),
    )
  );
};

/** Closed gates of the current fence whose inflight count at closing is not recorded yet. */
export const missingCloseCounts = (snap: FenceSnapshot): boolean =>
  !admitsIntents(snap.mode.mode) && snap.gates.some((g) => g.closeCountRev !== snap.mode.fenceRev);

/**
 * Completions since the drain began: per shard, the inflight count when its gate closed minus the count now
 * (no registration can land in a closed shard, so the difference is what completed).
 */
export const completedSinceClose = (snap: FenceSnapshot, census: Census): number =>
  snap.gates
    .filter((g) => !g.open && g.closeCountRev === snap.mode.fenceRev && g.closeCount !== null)
    .reduce((n, g) => n + Math.max(0, (g.closeCount ?? 0) - (census.perShard[g.shard] ?? 0)), 0);

/** How long a refused client should wait before trying again. */
export function retryAfterSecs(mode: ModeState, now: number): number {
  if (mode.mode === 'Draining' && mode.deadline !== null) {
    return Math.min(300, Math.max(5, Math.ceil((mode.deadline - now) / 1000)));
  }
  return 60;
}

export function toDrainStatus(
  snap: FenceSnapshot,
  census: Census,
  shardCount: number,
  now: number,
): DrainStatus {
  const m = snap.mode;
  const oldest = census.oldestCreatedAt;
  return {
    mode: m.mode,
    inflight_count: census.total,
    oldest_inflight_age_secs: oldest === null ? null : Math.max(0, Math.floor((now - oldest) / 1000)),
    completed_since_drain: admitsIntents(m.mode) ? 0 : completedSinceClose(snap, census),
    pending_ibc_packets: census.pendingIbc,
    nearest_ibc_timeout: iso(census.nearestIbcTimeout),
    nearest_ibc_timeout_secs:
      census.nearestIbcTimeout === null ? null : Math.floor((census.nearestIbcTimeout - now) / 1000),
    inflight_with_locked_funds: census.lockedFunds,
    reason: m.reason,
    started_at: iso(m.startedAt),
    deadline: iso(m.deadline),
    deadline_exceeded: m.mode === 'Draining' && m.deadline !== null && now > m.deadline,
    forced: m.forced,
    version: m.version,
    target_version: m.targetVersion,
    admitting: admitsIntents(m.mode),
    fence_closed: fenceClosed(snap, shardCount),
  };
}
