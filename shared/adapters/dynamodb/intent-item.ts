import type { InflightIntent } from '../../domain/inflight.ts';

/** The stored item: the intent's fields plus its fence shard, the partition key. */
export const intentToItem = (i: InflightIntent, shard: number): Record<string, unknown> => ({ ...i, shard });

export const intentFromItem = (item: Record<string, unknown>): InflightIntent => ({
  id: String(item.id),
  phase: String(item.phase),
  user_funds_locked: item.user_funds_locked === true,
  solver_funds_locked: item.solver_funds_locked === true,
  ibc_in_flight: item.ibc_in_flight === true,
  protocol_version: String(item.protocol_version),
  created_at: Number(item.created_at),
  updated_at: Number(item.updated_at),
});
