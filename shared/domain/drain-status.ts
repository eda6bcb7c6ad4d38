import { admitsIntents, type Mode, type ModeState } from './drain-mode.ts';
import type { FenceSnapshot } from './ports.ts';

/** The seeds' DrainStatus, as the API returns it (timestamps ISO 8601). */
export interface DrainStatus {
  readonly mode: Mode;
  readonly inflight_count: number;
  readonly oldest_inflight_age_secs: number | null;
  readonly completed_since_drain: number;
  readonly pending_ibc_packets: number;
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

export const inflightTotal = (snap: FenceSnapshot): number => snap.shards.reduce((n, s) => n + s.inflight, 0);

/** Every gate is closed for the current fence, so no registration can commit until the mode reopens it. */
export const fenceClosed = (snap: FenceSnapshot, shardCount: number): boolean =>
  snap.shards.length === shardCount && snap.shards.every((s) => !s.open && s.rev >= snap.mode.fenceRev);

/** Gates that do not yet match what the mode wants. */
export const staleGates = (snap: FenceSnapshot, shardCount: number): boolean => {
  const open = admitsIntents(snap.mode.mode);
  return (
    snap.shards.length !== shardCount ||
    snap.shards.some((s) => s.open !== open || s.rev < snap.mode.fenceRev)
  );
};

/** Completions counted by gates closed for the current fence. */
export const completedSinceClose = (snap: FenceSnapshot): number =>
  snap.shards
    .filter((s) => !s.open && s.rev >= snap.mode.fenceRev)
    .reduce((n, s) => n + s.completedSinceClose, 0);

/** How long a refused client should wait before trying again. */
export function retryAfterSecs(mode: ModeState, now: number): number {
  if (mode.mode === 'Draining' && mode.deadline !== null) {
    return Math.min(300, Math.max(5, Math.ceil((mode.deadline - now) / 1000)));
  }
  return 60;
}

export function toDrainStatus(
  snap: FenceSnapshot,
  shardCount: number,
  extra: { oldestCreatedAt: number | null; pendingIbc: number; now: number },
): DrainStatus {
  const m = snap.mode;
  const count = inflightTotal(snap);
  const oldest = count > 0 && extra.oldestCreatedAt !== null ? extra.oldestCreatedAt : null;
  return {
    mode: m.mode,
    inflight_count: count,
    oldest_inflight_age_secs: oldest === null ? null : Math.max(0, Math.floor((extra.now - oldest) / 1000)),
    completed_since_drain: admitsIntents(m.mode) ? 0 : completedSinceClose(snap),
    pending_ibc_packets: extra.pendingIbc,
    reason: m.reason,
    started_at: iso(m.startedAt),
    deadline: iso(m.deadline),
    deadline_exceeded: m.mode === 'Draining' && m.deadline !== null && extra.now > m.deadline,
    forced: m.forced,
    version: m.version,
    target_version: m.targetVersion,
    admitting: admitsIntents(m.mode),
    fence_closed: fenceClosed(snap, shardCount),
  };
}
