import { audited, type Caller } from '../domain/audited.ts';
import { DomainError } from '../domain/errors.ts';
import type { StoredRecord } from '../migration/migration.ts';
import type { ProtocolRollout, RolloutPhase } from './rollout.ts';
import { rolloutNotice } from './rollout-notice.ts';
import { afterPage, deprecatedFor, duePhase, enter, modeMatches, wantedVersions } from './rollout-phases.ts';
import type { RolloutDeps } from './rollout-service.ts';

export interface TickSettings {
  /** Intents read per page of a conversion. */
  readonly pageSize: number;
  /** How long one tick may convert before it saves its place and returns (the next tick goes on). */
  readonly budgetMs: number;
}

export interface TickReport {
  readonly id: string;
  readonly phase: RolloutPhase;
  readonly entered: RolloutPhase[];
  readonly converted: number;
  readonly waiting: string | null;
}

/**
 * One step of the unfinished rollout, if any: what the schedule does (every minute on AWS, every second or so in
 * the embedded runtime). It brings the mode to what the phase wants, converts a budget's worth of intents, and
 * moves to the next phase when its time (or its conversion) has come. Everything it knows is in the rollout's record
 * and each write is conditional on the one it read, so a crash, a restart or two ticks at once lose nothing: the
 * next tick starts from what was stored.
 */
export async function tickRollout(d: RolloutDeps, s: TickSettings): Promise<TickReport | null> {
  let r = await d.store.active();
  if (!r) return null;
  const caller: Caller = { actor: `protocol-rollout ${r.id}`, correlationId: null };
  const entered: RolloutPhase[] = [];
  let converted = 0;
  const started = d.clock.now();
  for (let step = 0; r && step < 4; step++) {
    r = await bringMode(d, r, caller);
    if (!r || r.waiting || r.held) break;
    const c = r.conversion;
    if (c && !c.done && conversionRuns(r)) {
      const out = await convert(d, s, r, started);
      converted += out.converted;
      r = out.rollout;
      if (!r) break;
    }
    const due = duePhase(r, d.clock.now());
    if (!due) break;
    r = await changePhase(d, r, due, caller);
    if (r) entered.push(due);
  }
  return r ? { id: r.id, phase: r.phase, entered, converted, waiting: r.waiting } : null;
}

const conversionRuns = (r: ProtocolRollout) =>
  r.phase === 'migration' || r.phase === 'deprecation' || r.phase === 'rolling_back';

/** Saves `next` over `cur`; null when another writer got there first (the next tick reads theirs). */
async function save(d: RolloutDeps, cur: ProtocolRollout, next: ProtocolRollout) {
  const written = { ...next, rev: cur.rev + 1 };
  return (await d.store.replace(written)) ? written : null;
}

/** The running and deprecated versions the phase wants; while the mode cannot change (a drain, an upgrade), waits. */
async function bringMode(d: RolloutDeps, r: ProtocolRollout, caller: Caller) {
  const mode = await d.fence.readMode();
  let waiting: string | null = null;
  if (!modeMatches(r, mode)) {
    const want = wantedVersions(r);
    try {
      const sunsets = want.deprecateFrom && r.sunset_at !== null ? { [r.from]: r.sunset_at } : {};
      if (mode.deprecatedVersions.includes(r.from) !== want.deprecateFrom)
        await d.drain.setDeprecatedVersions(caller, deprecatedFor(r, mode.deprecatedVersions), sunsets);
      if (mode.version !== want.running) await d.drain.setRunningVersion(caller, want.running);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      waiting = `the mode cannot change now (${err.message}); the rollout goes on when it can`;
    }
  }
  return waiting === r.waiting ? r : save(d, r, { ...r, waiting });
}

/** Converts pages until the pass ends or the tick's budget does, saving its place after each page. */
async function convert(d: RolloutDeps, s: TickSettings, start: ProtocolRollout, started: number) {
  let r: ProtocolRollout | null = start;
  let converted = 0;
  const transform = transformFor(d, start);
  while (r?.conversion && !r.conversion.done && d.clock.now() - started < s.budgetMs) {
    const c = r.conversion;
    const page = await d.conversion.convertPage(c.from, transform, c.cursor, s.pageSize);
    converted += page.converted;
    r = await save(d, r, { ...r, conversion: afterPage(c, r.phase, page, d.clock.now()) });
    if (page.cursor === null) break; // a pass ended: the next one starts at the next tick, not in a spin
  }
  return { rollout: r, converted };
}

/** The record transform of the rollout's current conversion: the migrations forward, or back in reverse order. */
function transformFor(d: RolloutDeps, r: ProtocolRollout): (x: StoredRecord) => StoredRecord {
  const steps = d.registry.path(r.from, r.to);
  if (r.conversion?.from === r.from) return (x) => steps.reduce((acc, m) => m.forward(acc), x);
  return (x) =>
    [...steps].reverse().reduce((acc, m) => {
      if (!m.reverse) throw new Error(`migration ${m.from}->${m.to} cannot be reversed`);
      return m.reverse(acc);
    }, x);
}

/** Enters the phase that came due: audited and announced as the operator's moves are. */
async function changePhase(d: RolloutDeps, r: ProtocolRollout, phase: RolloutPhase, caller: Caller) {
  const now = d.clock.now();
  const next = await audited(
    d.audit,
    d.clock,
    caller,
    'protocol.rollout.phase',
    { id: r.id, from_phase: r.phase, to_phase: phase },
    () => save(d, r, enter(r, phase, now, 'schedule', d.settleMs)),
    (x) => (x ? `${r.id} entered ${phase}` : `${r.id}: another writer moved first`),
  );
  if (next) await d.notifier.notify(rolloutNotice(`entered ${phase}`, next, 'schedule')).catch(() => {});
  return next;
}
