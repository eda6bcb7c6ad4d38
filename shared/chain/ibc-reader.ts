/**
 * What the control plane reads of IBC on the chain: where one packet stands. Implemented through CosmJS's IBC query
 * extension against a CometBFT RPC endpoint (shared/adapters/chain/cosmjs-ibc-reader.ts). Every method rejects with
 * a ChainError when the chain cannot be read.
 */
import type { IbcPacket } from '../domain/ibc-packet.ts';

/**
 * A packet on chain:
 * - `relayed`: the counterparty acknowledged it (its commitment is gone, or going, on this side);
 * - `pending`: its commitment is present and its timeout has not passed;
 * - `timed_out`: its timeout passed without the counterparty receiving it (refunded, or about to be).
 */
export type PacketChainStatus = 'relayed' | 'pending' | 'timed_out';

export interface PacketOnChain {
  readonly status: PacketChainStatus;
  /** Seconds to its timeout while pending (null: it times out by height only, or never). */
  readonly time_left_secs: number | null;
  /** What was read, in words: "commitment present, not received". */
  readonly detail: string;
}

/** What was found on chain for a packet, before judging it. */
export interface PacketEvidence {
  readonly commitment: boolean;
  readonly received: boolean;
  readonly acknowledged: boolean;
}

export interface IbcReader {
  packet(p: IbcPacket, nowMs: number): Promise<PacketOnChain>;
}

/** Judges a packet from what the chain holds and its timeout (the rules of ICS-4, from the sender's side). */
export function judgePacket(found: PacketEvidence, timeoutAtMs: number | null, nowMs: number): PacketOnChain {
  if (found.acknowledged || found.received)
    return {
      status: 'relayed',
      time_left_secs: null,
      detail: found.commitment
        ? 'received by the counterparty; its acknowledgement is on the way back'
        : 'acknowledged by the counterparty',
    };
  const expired = timeoutAtMs !== null && nowMs >= timeoutAtMs;
  if (!found.commitment)
    return {
      status: 'timed_out',
      time_left_secs: 0,
      detail: 'commitment gone and never received: timed out and refunded',
    };
  if (expired)
    return {
      status: 'timed_out',
      time_left_secs: 0,
      detail: 'timeout passed before the counterparty received it',
    };
  return {
    status: 'pending',
    time_left_secs: timeoutAtMs === null ? null : Math.max(0, Math.floor((timeoutAtMs - nowMs) / 1000)),
    detail: 'commitment present, not received yet',
  };
}
