import { CONTROL_ONLY, type StateEntry } from './types.ts';

/**
 * "Verify IBC packet state" (seed 001): the packets pending at the checkpoint, read on chain until none is pending
 * or ibc_verify_timeout_secs have passed. The same three states after the resume and after a rollback; the step
 * knows which from the state. A verification that cannot run is recorded and passed over: the upgrade's outcome
 * does not depend on it (a timed-out packet cannot be undone by rolling back).
 */
export function ibcVerificationStates(name: string, next: string): Record<string, StateEntry> {
  const settled = `${name}: settled?`;
  const wait = `${name}: wait`;
  return {
    [name]: {
      Type: 'Task',
      phase: next === 'Record upgrade in history' ? 'resumed' : 'rolling_back',
      fn: 'VerifyIbcPackets',
      handler: 'verify-ibc-packets',
      timeoutSecs: 120, // three queries per packet, 16 packets at a time
      memoryMb: 512,
      access: { ...CONTROL_ONLY, checkpoints: 'read', chain: true },
      idempotent: true, // reads the chain; the record keeps the first reading's time
      comment:
        'Each IBC packet pending at the checkpoint read on chain (commitment, receipt, acknowledgement): relayed, pending with its time left, or timed out. Timed out during the upgrade: recorded and the IbcPacketsTimedOut metric raised.',
      resultPath: '$.ibc',
      catch: { next, resultPath: '$.ibc_error' },
      next: settled,
    },
    [settled]: {
      Type: 'Choice',
      Choices: [{ Variable: '$.ibc.verdict', StringEquals: 'settled', Next: next }],
      Default: wait,
    },
    [wait]: { Type: 'Wait', SecondsPath: '$.ibc.wait_secs', Next: name },
  };
}
