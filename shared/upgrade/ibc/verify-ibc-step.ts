import { packetKey } from '../../domain/ibc-packet.ts';
import { recordPatch, withPatches } from '../record-patch.ts';
import type { UpgradeServices } from '../upgrade-services.ts';
import type { WorkflowState } from '../workflow-state.ts';
import {
  checkpointedPackets,
  type IbcVerification,
  type IbcVerifications,
  keptReadings,
} from './ibc-verification.ts';
import { countReadings, readPackets } from './packet-readings.ts';

/** Waits of one verification at most: its readings (and history events) stay bounded whatever the timeout. */
export const IBC_VERIFY_WAITS = 5;

/** Which verification: the rollback path's state carries the outcome of 'Resume on previous version'. */
export const verificationPhase = (s: WorkflowState): keyof IbcVerifications =>
  (s as { outcome?: unknown }).outcome === undefined ? 'after_resume' : 'after_rollback';

/**
 * "Verify IBC packet state" (seed 001), after the resume and after every rollback: each packet pending at the
 * checkpoint read on chain (relayed, pending with its time left, timed out). While some are still pending it says
 * `waiting` (the workflow reads again after wait_secs) until ibc_verify_timeout_secs have passed since its first
 * reading; then, or once none is pending, `settled`. A packet pending at the checkpoint that timed out since is an
 * intent the upgrade failed: listed in `timed_out_during_upgrade` (the IbcPacketsTimedOut metric counts them).
 */
export async function verifyIbcPackets(svc: UpgradeServices, s: WorkflowState) {
  const phase = verificationPhase(s);
  const record = await svc.upgrades.get(s.upgrade_id);
  const checkpointId = record?.checkpoint_id;
  const now = svc.clock.now();
  if (!checkpointId) return { verdict: 'settled', phase, checked: 0, wait_secs: 0, newly_timed_out: 0 };
  const packets = await checkpointedPackets(svc.checkpoints, checkpointId);
  const before = record.ibc_verification?.[phase];
  const readings = await readPackets(svc.ibc, packets, now);
  const counts = countReadings(readings);
  const atCheckpoint = new Map(packets.map((p) => [packetKey(p), p.chain_status]));
  const timedOutDuring = readings
    .filter((r) => r.status === 'timed_out' && atCheckpoint.get(r.packet) !== 'timed_out')
    .map((r) => r.packet);
  const startedAt = before?.started_at ?? now;
  const waitUntil = startedAt + s.config.ibc_verify_timeout_secs * 1000;
  // Unreadable packets are read again until the deadline, unless no chain is configured at all (nothing to wait for).
  const unsettled = counts.pending + (svc.ibc ? counts.unknown : 0);
  const settled = unsettled === 0 || now >= waitUntil;
  const verification: IbcVerification = {
    checkpoint_id: checkpointId,
    started_at: startedAt,
    checked_at: now,
    wait_until: waitUntil,
    settled,
    checked: readings.length,
    ...counts,
    timed_out_during_upgrade: timedOutDuring,
    packets: keptReadings(readings),
  };
  const already = before?.settled ? before.timed_out_during_upgrade.length : 0;
  return withPatches(
    {
      verdict: settled ? 'settled' : 'waiting',
      phase,
      checked: readings.length,
      ...counts,
      wait_secs: Math.max(
        svc.pollIntervalSecs,
        Math.ceil(s.config.ibc_verify_timeout_secs / IBC_VERIFY_WAITS),
      ),
      // Counted once, when the verification settles (a retried Task does not count them again).
      newly_timed_out: settled ? Math.max(0, timedOutDuring.length - already) : 0,
    },
    recordPatch('ibc', { ibc_verification: { ...record.ibc_verification, [phase]: verification } }),
  );
}
