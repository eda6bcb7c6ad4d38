import { channelsOf, type IbcPacket } from '../../domain/ibc-packet.ts';
import type { InflightIntent } from '../../domain/inflight.ts';

/**
 * The stored item: the intent's fields plus its fence shard, the partition key, and, when it carries packets, their
 * channels (`ibc_channels`, so a list can filter on a channel in DynamoDB) and `ibc_shard`, the shard again, which
 * puts it in the sparse packet index (tables.ts). Without packets it has neither: the index costs it nothing.
 */
export const intentToItem = (i: InflightIntent, shard: number): Record<string, unknown> => ({
  ...i,
  shard,
  ...(i.ibc_packets?.length ? { ibc_channels: channelsOf(i.ibc_packets), ibc_shard: shard } : {}),
});

export const intentFromItem = (item: Record<string, unknown>): InflightIntent => {
  const packets = Array.isArray(item.ibc_packets) ? (item.ibc_packets as IbcPacket[]) : [];
  return {
    id: String(item.id),
    phase: String(item.phase),
    user_funds_locked: item.user_funds_locked === true,
    solver_funds_locked: item.solver_funds_locked === true,
    ibc_in_flight: item.ibc_in_flight === true,
    ...(packets.length ? { ibc_packets: packets.map((p) => ({ ...p, sequence: Number(p.sequence) })) } : {}),
    protocol_version: String(item.protocol_version),
    created_at: Number(item.created_at),
    updated_at: Number(item.updated_at),
    ...(typeof item.owner === 'string' ? { owner: item.owner } : {}),
  };
};
