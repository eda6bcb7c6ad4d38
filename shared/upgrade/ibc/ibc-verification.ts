import type { CheckpointService } from '../../checkpoint/checkpoint-service.ts';
import type { CheckpointedPacket, PacketReading } from './packet-readings.ts';

/** The most packet readings kept on the upgrade record (the not-relayed first); the counts cover them all. */
export const MAX_READINGS_KEPT = 100;

/**
 * The on-chain verification of the packets that were pending at the checkpoint, after the resume or after a
 * rollback: counts by status, the packets that timed out during the upgrade (intents it failed), and the readings.
 */
export interface IbcVerification {
  readonly checkpoint_id: string;
  readonly started_at: number;
  readonly checked_at: number;
  /** Waiting ends when none is pending, or at this time (ibc_verify_timeout_secs after the first reading). */
  readonly wait_until: number;
  readonly settled: boolean;
  readonly checked: number;
  readonly relayed: number;
  readonly pending: number;
  readonly timed_out: number;
  readonly unknown: number;
  /** Pending (or unread) at the checkpoint, timed out now: intents this upgrade failed. */
  readonly timed_out_during_upgrade: readonly string[];
  readonly packets: readonly PacketReading[];
}

/** Where the record keeps the verifications: one after the resume, one after a rollback. */
export type IbcVerifications = Partial<Record<'after_resume' | 'after_rollback', IbcVerification>>;

/** The packets of a checkpoint's `pending_ibc_packets` part (entries naming only an intent carry no packet). */
export async function checkpointedPackets(
  checkpoints: CheckpointService,
  id: string,
): Promise<CheckpointedPacket[]> {
  const entries = (await checkpoints.readPart(id, 'pending_ibc_packets')) as Partial<CheckpointedPacket>[];
  return entries.filter(
    (e): e is CheckpointedPacket =>
      typeof e.sequence === 'number' &&
      typeof e.source_port === 'string' &&
      typeof e.source_channel === 'string',
  );
}

/** The readings worth keeping on the record: not relayed first, then the rest, at most MAX_READINGS_KEPT. */
export function keptReadings(readings: readonly PacketReading[]): PacketReading[] {
  const rank = { timed_out: 0, unknown: 1, pending: 2, relayed: 3 } as const;
  return [...readings].sort((a, b) => rank[a.status] - rank[b.status]).slice(0, MAX_READINGS_KEPT);
}
