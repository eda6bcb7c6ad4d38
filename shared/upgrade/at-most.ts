/**
 * The message of a limit an upgrade config exceeds, as zod builds it: `must be at most 259200 (got 300000)`.
 * Pass as the second argument of `.max()`.
 */
export const atMost = {
  error: (issue: { maximum?: unknown; input?: unknown }) =>
    `must be at most ${String(issue.maximum)} (got ${String(issue.input)})`,
};
