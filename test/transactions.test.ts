import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { cancellationCodes, retryOnConflict } from '../shared/adapters/dynamodb/transactions.ts';

// DynamoDB Local serialises all transactions and never reports TransactionConflict, so the retry path is
// exercised here with the SDK's own exception type thrown by a stand-in for the send call (no AWS mock library).
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('transaction conflict retry', () => {
  it('retries TransactionConflict until the transaction goes through', async () => {
    let calls = 0;
    const result = await retryOnConflict(
      async () => {
        calls++;
        if (calls < 3) throw cancelled('None', 'TransactionConflict');
        return 'committed';
      },
      6,
      1,
    );
    expect(result).toBe('committed');
    expect(calls).toBe(3);
  });

  it('gives up after the attempt limit and surfaces the cancellation', async () => {
    let calls = 0;
    const err = await retryOnConflict(
      async () => {
        calls++;
        throw cancelled('TransactionConflict', 'None');
      },
      4,
      1,
    ).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(cancellationCodes(err)).toEqual(['TransactionConflict', 'None']);
  });

  it('does not retry a condition failure: that is an answer, not a conflict', async () => {
    let calls = 0;
    await expect(
      retryOnConflict(async () => {
        calls++;
        throw cancelled('None', 'ConditionalCheckFailed');
      }),
    ).rejects.toBeInstanceOf(TransactionCanceledException);
    expect(calls).toBe(1);
  });
});
