import type { InflightIntent } from './inflight.ts';
import type { CompleteResult } from './inflight-service.ts';

/**
 * What a producer is answered, whichever way it calls the fence: the intent routes (lambdas/intent-*.ts) and the
 * embedded producer client (client/) give these same shapes.
 */

/** An intent as a producer sees it: ISO timestamps and its age in seconds. */
export const presentIntent = (i: InflightIntent, now = Date.now()) => ({
  ...i,
  created_at: new Date(i.created_at).toISOString(),
  updated_at: new Date(i.updated_at).toISOString(),
  age_secs: Math.max(0, Math.floor((now - i.created_at) / 1000)),
});

export type PresentedIntent = ReturnType<typeof presentIntent>;

/** A completion's answer: the result and a sentence saying what happened. */
export const completionReply = (result: CompleteResult) => {
  const note = result.completed
    ? `completed (${result.outcome})`
    : 'was not inflight (already completed, or never registered); nothing changed';
  return { ...result, message: `intent ${result.id} ${note}` };
};

export type CompletionReply = ReturnType<typeof completionReply>;
