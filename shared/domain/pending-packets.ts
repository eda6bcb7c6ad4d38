import { type IbcPacket, timeoutAtMs } from './ibc-packet.ts';
import type { InflightIntent } from './inflight.ts';

/** One pending IBC packet as GET /admin/ibc/pending lists it: the packet, its intent, and how long it has left. */
export interface PendingPacket extends IbcPacket {
  readonly intent_id: string;
  readonly phase: string;
  readonly protocol_version: string;
  /** The intent's age, seconds. */
  readonly age_secs: number;
  /** When it times out (by time), and the seconds left to it (negative: past); null when it times out by height only. */
  readonly timeout_at: string | null;
  readonly time_left_secs: number | null;
}

/** The packets of a page of intents (on `channel` only, when given), those nearest their timeout first. */
export function pendingPackets(
  intents: readonly InflightIntent[],
  now: number,
  channel?: string,
): PendingPacket[] {
  const rows = intents.flatMap((i) =>
    (i.ibc_packets ?? [])
      .filter((p) => channel === undefined || p.source_channel === channel)
      .map((p): PendingPacket => {
        const at = timeoutAtMs(p);
        return {
          ...p,
          intent_id: i.id,
          phase: i.phase,
          protocol_version: i.protocol_version,
          age_secs: Math.max(0, Math.floor((now - i.created_at) / 1000)),
          timeout_at: at === null ? null : new Date(at).toISOString(),
          time_left_secs: at === null ? null : Math.floor((at - now) / 1000),
        };
      }),
  );
  return rows.sort((a, b) => (a.time_left_secs ?? Infinity) - (b.time_left_secs ?? Infinity));
}
