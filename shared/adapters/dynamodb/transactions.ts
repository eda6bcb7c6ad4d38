import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** The per-item cancellation codes of a cancelled transaction, in request order ('None' where an item was fine). */
export const cancellationCodes = (err: unknown): string[] | null =>
  err instanceof TransactionCanceledException
    ? (err.CancellationReasons ?? []).map((r) => r.Code ?? 'None')
    : null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Retries a transaction cancelled by TransactionConflict (concurrent transactions on the same item, which
 * DynamoDB on AWS reports and the caller must retry), with jittered exponential backoff.
 */
export async function retryOnConflict<T>(run: () => Promise<T>, attempts = 6, baseMs = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      const codes = cancellationCodes(err);
      if (codes === null || !codes.includes('TransactionConflict') || i >= attempts) throw err;
      await sleep(Math.random() * baseMs * 2 ** i);
    }
  }
}
