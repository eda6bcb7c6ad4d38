import type { ApiClient } from './api-client.ts';
import { UnreachableError } from './cli-errors.ts';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls through a restart of the control plane: while nothing answers, `waiting` is told how long, and the client is
 * made again (the stack may come back elsewhere) until `giveUpSecs` have passed without an answer.
 */
export async function surviving<T>(
  client: () => ApiClient,
  read: (api: ApiClient) => Promise<T>,
  waiting: (secs: number, why: string) => void,
  giveUpSecs: number,
): Promise<T> {
  const since = Date.now();
  for (;;) {
    try {
      return await read(client());
    } catch (err) {
      if (!(err instanceof UnreachableError) || err.body !== null) throw err;
      const secs = (Date.now() - since) / 1000;
      if (secs > giveUpSecs) throw err;
      waiting(secs, err.message);
      await sleep(1000);
    }
  }
}
