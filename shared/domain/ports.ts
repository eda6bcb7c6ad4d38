import type { ModeState } from './drain-mode.ts';
import type { ConflictError } from './errors.ts';
import type { InflightIntent, InflightPage, InflightQuery, IntentPatch } from './inflight.ts';

/** One gate of the admission fence. Registration of an intent hashed to this shard commits only while it is open. */
export interface GateState {
  readonly shard: number;
  readonly open: boolean;
  /** The fence rev this gate was last set for. */
  readonly rev: number;
  /** The protocol version an intent admitted through this gate is stamped with (null on gates from before). */
  readonly version: string | null;
  /** Inflight intents of this shard counted right after the gate closed for `closeCountRev`, or null. */
  readonly closeCount: number | null;
  readonly closeCountRev: number | null;
  /**
   * When the gate was known closed for `closeCountRev` (stamped after every gate's close was acknowledged). An
   * intent created after it (plus the clock skew allowance) cannot have been admitted through this closed gate.
   */
  readonly closedAt: number | null;
}

/** The mode record and every gate, read as one consistent snapshot. */
export interface FenceSnapshot {
  readonly mode: ModeState;
  readonly gates: readonly GateState[];
}

/** Persistence of the drain mode and the sharded fence gates. */
/**
 * Who changes the mode: the upgrade holding the lock (its id), an operator (only while no upgrade holds the lock),
 * or the system recording a fact any reader may record (Draining -> Drained once the fence is closed and empty).
 */
export type ModeWriter =
  | { readonly kind: 'upgrade'; readonly upgradeId: string }
  | { readonly kind: 'operator' }
  | { readonly kind: 'system' };

export interface FenceStore {
  /** Creates the mode record and the gates if they do not exist yet, and sets the gates as the mode wants. */
  init(initial: ModeState): Promise<void>;
  readMode(): Promise<ModeState>;
  snapshot(): Promise<FenceSnapshot>;
  /**
   * Writes `next` only if the stored rev is still `expectedRev` (else ConflictError `concurrent_change`) and the
   * writer may change the mode now: an upgrade only while it holds the upgrade lock, an operator only while no
   * upgrade holds it (else ConflictError `upgrade_owns_mode`, naming the upgrade). One condition in the store, so
   * no caller can get around it.
   */
  writeMode(next: ModeState, expectedRev: number, writer: ModeWriter): Promise<void>;
  /**
   * The refusal writeMode would give this writer now under the owner rule (null: it may write). Only to explain a
   * refusal better: the rule itself is the condition in writeMode.
   */
  ownerRefusal(writer: ModeWriter): Promise<ConflictError | null>;
  /** Brings every gate whose rev is below `fenceRev` to the desired state and version. Idempotent. */
  setGates(open: boolean, fenceRev: number, version: string): Promise<void>;
  /** Records each closed gate's inflight count for `fenceRev`, once (the first record wins). */
  recordCloseCounts(fenceRev: number, perShard: readonly number[], closedAt: number): Promise<void>;
}

/** One strongly consistent pass over the inflight intents. */
export interface Census {
  readonly perShard: readonly number[];
  readonly total: number;
  readonly oldestCreatedAt: number | null;
  /** Pending IBC packets over all inflight intents (an intent flagged in IBC without its packets counts as one). */
  readonly pendingIbc: number;
  /** The earliest timeout time (ms) of a pending packet, or null when none has one. */
  readonly nearestIbcTimeout: number | null;
  readonly lockedFunds: number;
}

export type RegisterOutcome = 'registered' | 'duplicate' | 'fenced';

/** Persistence of the inflight intents; each lives in its fence shard's partition. */
/** An intent a completion removed: who owned it (a replica, or null). */
export interface CompletedIntent {
  readonly owner: string | null;
}

export interface IntentStore {
  /**
   * Writes the intent if its id is free, then admits it only if its shard's gate is open for `runningVersion` (so a
   * stale idea of the running version can never stamp an intent: the gate's own version decides); a refused
   * registration leaves nothing behind.
   */
  register(intent: InflightIntent, runningVersion: string): Promise<RegisterOutcome>;
  /**
   * Returns the updated intent, or null when no such intent is inflight. Throws IntentFrozenError while an upgrade
   * holds it frozen (update and complete alike), so no write lands between a checkpoint and its rollback.
   */
  update(id: string, patch: IntentPatch, now: number): Promise<InflightIntent | null>;
  /** What this call completed (the intent's owner); null when it was not inflight (completed before, or unknown). */
  complete(id: string): Promise<CompletedIntent | null>;
  get(id: string): Promise<InflightIntent | null>;
  /** Freezes every inflight intent for this upgrade (idempotent); returns how many it froze now. */
  freezeAll(upgradeId: string): Promise<number>;
  /** Lifts every freeze; returns how many intents it released. */
  unfreezeAll(): Promise<number>;
  list(query: InflightQuery): Promise<InflightPage>;
  /** Up to `limit` inflight intents with user or solver funds locked, read consistently. */
  withLockedFunds(limit: number): Promise<InflightIntent[]>;
  /** Counts the inflight intents; `fence` (the mode and gates just read) spares reading them again. */
  census(fence?: FenceSnapshot): Promise<Census>;
  /** Removes what refused registrations left behind (a registrant that died mid-way); returns how many. */
  reapUnadmitted(now: number): Promise<number>;
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
