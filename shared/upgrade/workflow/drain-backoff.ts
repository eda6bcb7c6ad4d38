/** The longest wait between drain checks of a drain of at most ~16 h; longer drains allow a thousandth of their length. */
export const DRAIN_WAIT_CEILING_SECS = 60;

/**
 * Seconds to wait before the next look at a drain: `poll_interval_secs` while the drain is young, then a tenth of
 * its age, up to the larger of 60 s and a thousandth of the drain timeout, and never past the deadline. So a
 * drain's checks grow logarithmically at first and then linearly at most ~1,000 over the whole timeout: the
 * longest drain the API accepts stays far under the 25,000 events of an execution's history.
 */
export function nextDrainWaitSecs(opts: {
  readonly elapsedSecs: number;
  readonly remainingSecs: number | null;
  readonly pollIntervalSecs: number;
  readonly drainTimeoutSecs: number;
  /** About how many checks the whole timeout may take (1,000; the rollback after a bake allows 300). */
  readonly checksBudget?: number;
}): number {
  const ceiling = Math.max(
    opts.pollIntervalSecs,
    DRAIN_WAIT_CEILING_SECS,
    Math.ceil(opts.drainTimeoutSecs / (opts.checksBudget ?? 1000)),
  );
  const grown = Math.max(opts.pollIntervalSecs, Math.floor(opts.elapsedSecs / 10));
  const wait = Math.min(grown, ceiling);
  const untilDeadline = opts.remainingSecs === null ? wait : Math.ceil(opts.remainingSecs);
  return Math.max(1, Math.min(wait, untilDeadline));
}
