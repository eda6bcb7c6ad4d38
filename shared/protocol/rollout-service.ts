import { randomBytes } from 'node:crypto';
import { audited, type Caller } from '../domain/audited.ts';
import type { DrainService } from '../domain/drain-service.ts';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors.ts';
import type { AuditLog, Clock, FenceStore } from '../domain/ports.ts';
import type { MigrationRegistry } from '../migration/migration.ts';
import type { IntentConversion } from './conversion-port.ts';
import { FINISHED, type ProtocolRollout, REVERSIBLE, type RolloutStore } from './rollout.ts';
import { type RolloutNotifier, rolloutNotice } from './rollout-notice.ts';
import { enter } from './rollout-phases.ts';
import { isoTime, presentRollout, type RolloutView } from './rollout-view.ts';

export interface RolloutDeps {
  readonly store: RolloutStore;
  readonly conversion: IntentConversion;
  readonly drain: DrainService;
  readonly fence: FenceStore;
  readonly registry: MigrationRegistry;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly notifier: RolloutNotifier;
  /** How long registrations may still use a version they cached (VERSION_CACHE_MS plus the clock skew). */
  readonly settleMs: number;
}

export interface StartRollout {
  readonly from: string;
  readonly to: string;
  readonly parallel_secs: number;
  readonly deprecation_secs: number;
  readonly reason: string;
}

const rolloutId = (now: number) =>
  `pr-${new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;

/** What operators ask of protocol rollouts: start one, hold it, let it go on, roll it back, read it. */
export class RolloutService {
  constructor(readonly d: RolloutDeps) {}

  async start(caller: Caller, req: StartRollout): Promise<RolloutView> {
    const mode = await this.d.fence.readMode();
    if (req.from !== mode.version)
      throw new ValidationError(
        `from ${req.from} is not the running protocol version: the system runs ${mode.version}; roll out from ${mode.version}`,
        { running_version: mode.version },
      );
    if (req.to === req.from) throw new ValidationError('to must differ from from');
    this.d.registry.path(req.from, req.to); // 400 naming the registered versions when there is no path
    return this.audit(caller, 'protocol.rollout.start', { ...req }, async () => {
      const now = this.d.clock.now();
      const draft: ProtocolRollout = {
        id: rolloutId(now),
        ...req,
        phase: 'parallel',
        phase_started_at: now,
        phase_due_at: null,
        sunset_at: null,
        held: null,
        conversion: null,
        waiting: null,
        history: [],
        created_at: now,
        created_by: caller.actor,
        rev: 1,
      };
      const r = enter(draft, 'parallel', now, caller.actor, this.d.settleMs);
      const out = await this.d.store.create(r);
      if (!out.created && 'upgrade' in out)
        throw new ConflictError(
          'upgrade_running',
          `upgrade ${out.upgrade} is changing the running version: start the rollout once it has ended`,
          { running_upgrade_id: out.upgrade },
        );
      if (!out.created)
        throw new ValidationError(
          `protocol rollout ${out.active} is not finished: hold it, roll it back or let it finish (GET /admin/protocol/rollouts/${out.active}) before starting another`,
          { active_rollout: out.active },
        );
      await this.announce('started', r, caller.actor);
      return r;
    });
  }

  get(id: string): Promise<RolloutView> {
    return this.load(id).then((r) => presentRollout(r, this.d.clock.now()));
  }

  async list(limit: number): Promise<RolloutView[]> {
    const now = this.d.clock.now();
    return (await this.d.store.list(limit)).map((r) => presentRollout(r, now));
  }

  /** Stops the rollout where it is: its timer and its conversion wait until `proceed`. */
  hold(caller: Caller, id: string, reason: string): Promise<RolloutView> {
    return this.change(caller, id, 'protocol.rollout.hold', { reason }, (r, now) => {
      if (r.held)
        throw new ConflictError('rollout_held', `rollout ${id} is already held since ${isoTime(r.held.at)}`);
      return { ...r, held: { at: now, by: caller.actor, reason } };
    });
  }

  /** Lets a held rollout go on; its phase timer is extended by the time it was held. */
  proceed(caller: Caller, id: string): Promise<RolloutView> {
    return this.change(caller, id, 'protocol.rollout.continue', {}, (r, now) => {
      if (!r.held)
        throw new ConflictError('rollout_not_held', `rollout ${id} is not held: nothing to continue`);
      const heldMs = now - r.held.at;
      const later = (t: number | null) => (t === null ? null : t + heldMs);
      return { ...r, held: null, phase_due_at: later(r.phase_due_at), sunset_at: later(r.sunset_at) };
    });
  }

  /**
   * Back to `from` before removal: `from` is admitted and stamped again, and the `to` intents are converted back
   * (from the parallel phase, where neither happened, it is rolled back at once).
   */
  rollback(caller: Caller, id: string, reason: string): Promise<RolloutView> {
    return this.change(caller, id, 'protocol.rollout.rollback', { reason }, (r, now) => {
      if (!REVERSIBLE.includes(r.phase))
        throw new ConflictError(
          'rollout_not_reversible',
          `rollout ${id} is ${r.phase}: only a rollout in ${REVERSIBLE.join(', ')} can be rolled back`,
        );
      const lossy = this.d.registry.path(r.from, r.to).find((m) => !m.reverse);
      if (lossy && r.phase !== 'parallel')
        throw new ConflictError(
          'rollout_not_reversible',
          `migration ${lossy.from}->${lossy.to} cannot be reversed, and intents were converted: roll forward instead`,
        );
      // In the parallel phase nothing was converted and the mode is as it was: rolled back at once.
      const phase = r.phase === 'parallel' ? 'rolled_back' : 'rolling_back';
      return { ...enter(r, phase, now, caller.actor, this.d.settleMs, reason), held: null };
    });
  }

  private async change(
    caller: Caller,
    id: string,
    action: string,
    params: Record<string, unknown>,
    edit: (r: ProtocolRollout, now: number) => ProtocolRollout,
  ): Promise<RolloutView> {
    return this.audit(caller, action, { id, ...params }, async () => {
      for (let attempt = 0; attempt < 8; attempt++) {
        const cur = await this.load(id);
        if (FINISHED.includes(cur.phase))
          throw new ConflictError(
            'rollout_finished',
            `rollout ${id} is ${cur.phase}: nothing more can change`,
          );
        const next = { ...edit(cur, this.d.clock.now()), rev: cur.rev + 1 };
        if (await this.d.store.replace(next)) {
          await this.announce(action.split('.').pop() as string, next, caller.actor);
          return next;
        }
      }
      throw new ConflictError('rollout_busy', `rollout ${id} is changing under many writers: retry`);
    });
  }

  private async load(id: string): Promise<ProtocolRollout> {
    const r = await this.d.store.get(id);
    if (!r) throw new NotFoundError(`no protocol rollout ${id}`, { resource: 'protocol rollout' });
    return r;
  }

  private async audit(
    caller: Caller,
    action: string,
    params: Record<string, unknown>,
    run: () => Promise<ProtocolRollout>,
  ): Promise<RolloutView> {
    const r = await audited(
      this.d.audit,
      this.d.clock,
      caller,
      action,
      params,
      run,
      (x) => `${x.id} ${x.phase}`,
    );
    return presentRollout(r, this.d.clock.now());
  }

  private announce(event: string, r: ProtocolRollout, by: string): Promise<void> {
    return this.d.notifier.notify(rolloutNotice(event, r, by)).catch(() => {});
  }
}
