import type { IbcPacket } from './ibc-packet.ts';

/** One intent the system has admitted and not yet seen complete. Field names follow the seeds. */
export interface InflightIntent {
  readonly id: string;
  readonly phase: string;
  readonly user_funds_locked: boolean;
  readonly solver_funds_locked: boolean;
  readonly ibc_in_flight: boolean;
  /** The IBC packets it waits for (absent when none are known: ibc_in_flight may still say one is under way). */
  readonly ibc_packets?: readonly IbcPacket[];
  readonly protocol_version: string;
  /** Milliseconds since the epoch. */
  readonly created_at: number;
  readonly updated_at: number;
  readonly smoke_test?: boolean;
  /** The service replica that handles it (a rolling release waits for a replica's own intents before redeploying it). */
  readonly owner?: string;
}

/** What a caller supplies to register an intent; omitted flags are false, the phase defaults to `Pending`. */
export interface RegisterIntent {
  readonly id: string;
  readonly phase?: string | undefined;
  readonly user_funds_locked?: boolean | undefined;
  readonly solver_funds_locked?: boolean | undefined;
  readonly ibc_in_flight?: boolean | undefined;
  /** Its IBC packets; ibc_in_flight, when not given, is whether there are any. */
  readonly ibc_packets?: readonly IbcPacket[] | undefined;
  readonly protocol_version?: string | undefined;
  /** The control plane's own test intent (the post-upgrade smoke test): left out of the operators' counts and lists. */
  readonly smoke_test?: boolean | undefined;
  /** The service replica that handles it, as the deploy section names it (`relayer-2`). */
  readonly owner?: string | undefined;
}

/** A change to an inflight intent's phase, lock flags or packets (a list replaces the one stored; [] clears it). */
export interface IntentPatch {
  readonly phase?: string | undefined;
  readonly user_funds_locked?: boolean | undefined;
  readonly solver_funds_locked?: boolean | undefined;
  readonly ibc_in_flight?: boolean | undefined;
  readonly ibc_packets?: readonly IbcPacket[] | undefined;
}

/** Filters and paging for listing inflight intents. */
export interface InflightQuery {
  readonly phase?: string | undefined;
  /** true: user or solver funds locked; false: neither. */
  readonly locked?: boolean | undefined;
  /** Only intents whose phase starts so (producers mark intents in recovery by their phase). */
  readonly phase_prefix?: string | undefined;
  /** Only intents that carry IBC packets, and of those only the ones with a packet on this channel. */
  readonly with_packets?: boolean | undefined;
  readonly channel?: string | undefined;
  /** Only the intents this replica owns. */
  readonly owner?: string | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface InflightPage {
  readonly intents: InflightIntent[];
  readonly nextCursor: string | null;
}

export const DEFAULT_PHASE = 'Pending';
export const INTENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const PHASE_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
export const VERSION_PATTERN = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/;

export const hasLockedFunds = (
  i: Pick<InflightIntent, 'user_funds_locked' | 'solver_funds_locked'>,
): boolean => i.user_funds_locked || i.solver_funds_locked;

/** FNV-1a of the id, reduced to a shard: decides which fence gate and counter an intent belongs to. */
export function shardOf(id: string, shardCount: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shardCount;
}
