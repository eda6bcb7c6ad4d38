import { errorText } from '../../chain/chain-error.ts';
import type { IbcReader, PacketChainStatus } from '../../chain/ibc-reader.ts';
import { type IbcPacket, packetKey } from '../../domain/ibc-packet.ts';

/** A packet as the checkpoint holds it: the packet, its intent, and (checkpoints since issue 24) its status then. */
export interface CheckpointedPacket extends IbcPacket {
  readonly intent_id: string;
  readonly chain_status?: PacketChainStatus | 'unknown';
}

/** One packet read on chain: its status, or `unknown` with why the chain could not say. */
export interface PacketReading {
  readonly packet: string;
  readonly intent_id: string;
  readonly status: PacketChainStatus | 'unknown';
  readonly time_left_secs: number | null;
  readonly detail: string;
}

/** Packets read at once: each is three queries, and a node serves a few dozen in parallel comfortably. */
const READ_CONCURRENCY = 16;

/**
 * Reads each packet's status on chain. A packet the chain cannot be asked about (no chain configured, the node
 * unreachable) is `unknown`, with the reason: a reading never fails as a whole.
 */
export async function readPackets(
  reader: (() => IbcReader) | null,
  packets: readonly (IbcPacket & { intent_id: string })[],
  nowMs: number,
): Promise<PacketReading[]> {
  const out: PacketReading[] = new Array(packets.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < packets.length; i = next++) {
      const p = packets[i] as IbcPacket & { intent_id: string };
      const base = { packet: packetKey(p), intent_id: p.intent_id };
      try {
        if (!reader) throw new Error('no chain is configured to read IBC packets from');
        const on = await reader().packet(p, nowMs);
        out[i] = { ...base, status: on.status, time_left_secs: on.time_left_secs, detail: on.detail };
      } catch (error) {
        out[i] = { ...base, status: 'unknown', time_left_secs: null, detail: errorText(error) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, packets.length) }, worker));
  return out;
}

/** Readings counted by status. */
export function countReadings(readings: readonly PacketReading[]) {
  const count = (s: PacketReading['status']) => readings.filter((r) => r.status === s).length;
  return {
    relayed: count('relayed'),
    pending: count('pending'),
    timed_out: count('timed_out'),
    unknown: count('unknown'),
  };
}

/**
 * The checkpoint's pending IBC packet entries with each packet's status on chain at checkpoint time
 * (`chain_status`, `chain_detail`); an entry naming only an intent (no packet) is kept as it is.
 */
export async function withChainStatus(
  svc: { ibc: (() => IbcReader) | null; clock: { now(): number } },
  entries: Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const isPacket = (e: Record<string, unknown>) => typeof e.sequence === 'number';
  const packets = entries.filter(isPacket) as unknown as (IbcPacket & { intent_id: string })[];
  const readings = await readPackets(svc.ibc, packets, svc.clock.now());
  const byKey = new Map(readings.map((r) => [r.packet, r]));
  return entries.map((e) => {
    const r = isPacket(e) ? byKey.get(packetKey(e as unknown as IbcPacket)) : undefined;
    return r ? { ...e, chain_status: r.status, chain_detail: r.detail } : e;
  });
}
