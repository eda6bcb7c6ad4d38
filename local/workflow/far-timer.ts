/** The longest delay setTimeout honours (2^31-1 ms, about 24.8 days); beyond it Node fires after 1 ms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A timer that can be cancelled. */
export interface FarTimer {
  cancel(): void;
}

/**
 * Calls `fire` at the time `when` (epoch ms), however far away: delays beyond MAX_TIMER_MS are waited in steps,
 * each step re-reading the clock. The timer does not keep the process alive.
 */
export function fireAt(when: number, fire: () => void, now: () => number = Date.now): FarTimer {
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = () => {
    if (cancelled) return;
    const left = when - now();
    if (left <= 0) {
      fire();
      return;
    }
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return {
    cancel() {
      cancelled = true;
      clearTimeout(timer);
    },
  };
}
