/**
 * An IBC packet an intent waits for (seed 001: "IBC packet sequences and their status"): where it was sent from,
 * its sequence on that channel, and its timeout, a block height on the counterparty or a time (nanoseconds since
 * the epoch, as IBC carries it). A packet not relayed before its timeout is refunded, and the intent fails.
 */
export interface IbcPacket {
  readonly source_port: string;
  readonly source_channel: string;
  readonly sequence: number;
  readonly destination_chain?: string | undefined;
  /** Nanoseconds since the epoch, as a decimal string (IBC's uint64). */
  readonly timeout_timestamp?: string | undefined;
  readonly timeout_height?:
    | { readonly revision_number: number; readonly revision_height: number }
    | undefined;
}

/** The most packets one intent may carry (its item stays small; an intent is a few transfers, not a batch). */
export const MAX_PACKETS_PER_INTENT = 16;

/** `port/channel/sequence`: a packet's identity on its chain. */
export const packetKey = (p: Pick<IbcPacket, 'source_port' | 'source_channel' | 'sequence'>): string =>
  `${p.source_port}/${p.source_channel}/${p.sequence}`;

/** The packet's timeout time in milliseconds, or null when it times out by height only (or not at all). */
export function timeoutAtMs(p: IbcPacket): number | null {
  if (!p.timeout_timestamp || p.timeout_timestamp === '0') return null;
  return Number(BigInt(p.timeout_timestamp) / 1_000_000n);
}

/** The first packet listed twice (same port, channel and sequence), or null. */
export function duplicatePacket(packets: readonly IbcPacket[]): string | null {
  const seen = new Set<string>();
  for (const p of packets) {
    const key = packetKey(p);
    if (seen.has(key)) return key;
    seen.add(key);
  }
  return null;
}

/** The channels an intent's packets travel on, each once (stored beside them, so a list can filter on one). */
export const channelsOf = (packets: readonly IbcPacket[]): string[] => [
  ...new Set(packets.map((p) => p.source_channel)),
];
