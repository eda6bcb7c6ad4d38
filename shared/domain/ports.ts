import type { ModeState } from './drain-mode.ts';
import type { InflightIntent, InflightPage, InflightQuery, IntentPatch } from './inflight.ts';

/** One shard of the admission fence: a gate and the counters of the intents hashed to it. */
export interface ShardState {
  readonly shard: number;
  readonly open: boolean;
  /** The fence rev this gate was last set for. */
  readonly rev: number;
  readonly inflight: number;
  /** Completions since this gate last closed. */
  readonly completedSinceClose: number;
}

/** The mode record and every shard, read as one consistent snapshot. */
export interface FenceSnapshot {
  readonly mode: ModeState;
  readonly shards: readonly ShardState[];
}

/** Persistence of the drain mode and the sharded fence. */
export interface FenceStore {
  /** Creates the mode record and the shards if they do not exist yet. */
  init(initial: ModeState): Promise<void>;
  readMode(): Promise<ModeState>;
  snapshot(): Promise<FenceSnapshot>;
  /** Writes `next` only if the stored rev is still `expectedRev`; otherwise throws a ConflictError. */
  writeMode(next: ModeState, expectedRev: number): Promise<void>;
  /** Brings every gate whose rev is below `fenceRev` to the desired state. Idempotent. */
  setGates(open: boolean, fenceRev: number): Promise<void>;
}

export type RegisterOutcome = 'registered' | 'duplicate' | 'fenced';

/** Persistence of the inflight intents. Registration and completion move the shard counters atomically. */
export interface IntentStore {
  register(intent: InflightIntent, shard: number): Promise<RegisterOutcome>;
  /** Returns the updated intent, or null when no such intent is inflight. */
  update(id: string, patch: IntentPatch, now: number): Promise<InflightIntent | null>;
  /** True when this call completed the intent; false when it was not inflight (already completed or unknown). */
  complete(id: string, shard: number): Promise<boolean>;
  get(id: string): Promise<InflightIntent | null>;
  list(query: InflightQuery): Promise<InflightPage>;
  /** Up to `limit` inflight intents with user or solver funds locked, read consistently. */
  withLockedFunds(limit: number): Promise<InflightIntent[]>;
  /** created_at of the oldest inflight intent, or null when none. */
  oldestCreatedAt(): Promise<number | null>;
  pendingIbcCount(): Promise<number>;
}

export type AuditOutcome = 'succeeded' | 'refused' | 'failed';

/** Who did what, when, and how it ended. */
export interface AuditEntry {
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly params: Record<string, unknown>;
  readonly outcome: AuditOutcome;
  readonly message: string;
  readonly correlationId: string | null;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** Newest first. */
  recent(limit: number): Promise<AuditEntry[]>;
}

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
