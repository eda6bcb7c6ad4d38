import { verifyIbcPackets } from '../../shared/upgrade/ibc/verify-ibc-step.ts';
import { emitUpgradeOutcome } from '../telemetry/drain-metrics.ts';
import { chainTask } from './chain-task.ts';

/**
 * Upgrade workflow Task "Verify IBC packets" (after the resume, and after a rollback) (ASL placeholder
 * ${VerifyIbcPacketsFunctionArn}): packets that timed out during the upgrade raise IbcPacketsTimedOut.
 */
export const handler = chainTask(
  'Verify IBC packets',
  async (svc, state) => {
    const result = await verifyIbcPackets(svc, state);
    if (result.newly_timed_out > 0) emitUpgradeOutcome('ibc_packets_timed_out', null, result.newly_timed_out);
    return result;
  },
  { pollingStep: true },
);
