/**
 * TEST HOOK, for the crash test (test/crash/) only: `UCP_CRASH_AT="<point>:before|during|after"` makes the
 * embedded runtime kill its own process group at that point, to reproduce a crash deterministically instead of
 * with sleeps. A point is a state name of the upgrade state machine (before its Task runs, `during_ms` after it
 * started, or after it returned but before the next state is saved) or `chain.migrate` (the simulated chain, right
 * after an on-chain migrate). `UCP_CRASH_SIGNAL` is SIGKILL (default) or SIGTERM; `UCP_CRASH_DURING_MS` (default
 * 40) is the delay for `during`. Unset, nothing happens. Never set these outside tests.
 */
export interface CrashHook {
  readonly point: string;
  readonly when: 'before' | 'during' | 'after';
  readonly signal: 'SIGKILL' | 'SIGTERM';
  readonly duringMs: number;
}

let fired = false;

/** The hook set in the environment, if any. */
export function crashHook(env: NodeJS.ProcessEnv = process.env): CrashHook | null {
  const m = /^(.+):(before|during|after)$/.exec(env.UCP_CRASH_AT ?? '');
  if (!m) return null;
  return {
    point: m[1] as string,
    when: m[2] as CrashHook['when'],
    signal: env.UCP_CRASH_SIGNAL === 'SIGTERM' ? 'SIGTERM' : 'SIGKILL',
    duringMs: Number(env.UCP_CRASH_DURING_MS ?? 40),
  };
}

/** Kills this process group (all of `npm start`: the runtime and its JVM) with the hook's signal, once. */
export function crashNow(hook: CrashHook): void {
  if (fired) return;
  fired = true;
  console.log(`[local] TEST HOOK: ${hook.signal} at ${hook.point}:${hook.when} (crash at ${Date.now()})`);
  process.kill(0, hook.signal);
}

/** Fires the hook if it names this point and moment. */
export function crashPoint(point: string, when: CrashHook['when'], hook = crashHook()): void {
  if (hook && hook.point === point && hook.when === when) crashNow(hook);
}
