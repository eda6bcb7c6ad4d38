import { audited, type Caller } from './audited.ts';
import {
  admitsIntents,
  checkDrainTimeout,
  DEFAULT_DRAIN_TIMEOUT_SECS,
  type ModeAction,
  type ModeState,
  transition,
} from './drain-mode.ts';
import {
  type DrainStatus,
  fenceClosed,
  missingCloseCounts,
  staleGates,
  toDrainStatus,
} from './drain-status.ts';
import { ConflictError, IllegalTransitionError, ValidationError } from './errors.ts';
import { VERSION_PATTERN } from './inflight.ts';
import type { AuditLog, Clock, FenceSnapshot, FenceStore, IntentStore, ModeWriter } from './ports.ts';

export interface DrainServiceDeps {
  readonly fence: FenceStore;
  readonly intents: IntentStore;
  readonly audit: AuditLog;
  readonly clock: Clock;
  readonly shardCount: number;
}

/** The writer a caller is: the upgrade it acts for (workflow steps), else an operator. */
const writerOf = (by: Caller | 'system'): ModeWriter =>
  by === 'system'
    ? { kind: 'system' }
    : by.upgradeId
      ? { kind: 'upgrade', upgradeId: by.upgradeId }
      : { kind: 'operator' };

/**
 * The drain-mode manager: every mode change is a conditional write of the mode record followed by
 * bringing the fence gates to the state the new mode wants. Status reads the mode and all gates as one
 * snapshot, repairs gates left behind by an interrupted call, and declares Drained only when every gate
 * is closed for the current fence and no intent is inflight.
 */
export class DrainService {
  constructor(private readonly d: DrainServiceDeps) {}

  async startDrain(
    caller: Caller,
    reason: string,
    drainTimeoutSecs = DEFAULT_DRAIN_TIMEOUT_SECS,
  ): Promise<DrainStatus> {
    // Bad input is refused before anything is written, the audit record included; refused moves are audited.
    if (reason.trim() === '')
      throw new ValidationError('reason must not be blank: say why the system is draining');
    checkDrainTimeout(drainTimeoutSecs);
    const params = { reason, drain_timeout_secs: drainTimeoutSecs };
    return this.admin(caller, 'drain.start', params, async () => {
      await this.move({ kind: 'start_drain', reason, drainTimeoutSecs }, caller);
    });
  }

  cancel(caller: Caller): Promise<DrainStatus> {
    return this.admin(caller, 'drain.cancel', {}, async () => {
      await this.d.intents.reapUnadmitted(this.d.clock.now()); // before the gates reopen
      const next = await this.move({ kind: 'cancel' }, caller);
      await this.d.intents.unfreezeAll(); // an upgrade that froze intents and then cancelled its drain
      return next;
    });
  }

  /** Declares the system drained with intents still inflight; refused while any holds locked funds unless acknowledged. */
  force(caller: Caller, acknowledgeLockedFunds: boolean): Promise<DrainStatus> {
    const params = { acknowledge_locked_funds: acknowledgeLockedFunds };
    return this.admin(caller, 'drain.force', params, async () => {
      const mode = await this.d.fence.readMode();
      await this.next(mode, { kind: 'force' }, caller); // refuse early if illegal
      await this.setGates(false, mode.fenceRev, mode.version);
      await this.requireForceAllowed(acknowledgeLockedFunds);
      await this.move({ kind: 'force' }, caller, mode);
    });
  }

  /** The locked-funds rule of a force: refused (409 locked_funds, naming them) while any inflight intent holds funds, unless acknowledged. */
  async requireForceAllowed(acknowledgeLockedFunds: boolean): Promise<void> {
    const locked = await this.d.intents.withLockedFunds(10);
    if (locked.length === 0 || acknowledgeLockedFunds) return;
    const ids = locked.map((i) => i.id).join(', ');
    const n = locked.length >= 10 ? `at least ${locked.length}` : String(locked.length);
    throw new ConflictError(
      'locked_funds',
      `refusing to force: inflight intents hold locked user or solver funds (${n}: ${ids}). ` +
        'Wait for them to complete, or repeat with {"acknowledge_locked_funds": true} once you have checked them.',
      { locked_intents: locked.map((i) => i.id) },
    );
  }

  /** Reopens admission on `version` (or the current one). Also finishes a resume that was interrupted. */
  async resume(caller: Caller, version: string | null): Promise<DrainStatus> {
    if (version !== null && !VERSION_PATTERN.test(version)) {
      throw new ValidationError('version must look like 2.0.0 (letters, digits, . + -, up to 64)');
    }
    return this.admin(caller, 'drain.resume', { version }, async () => {
      // What refused registrations left behind is removed while the gates are still closed: reopened, it would count.
      await this.d.intents.reapUnadmitted(this.d.clock.now());
      const resuming = await this.move({ kind: 'begin_resume', version }, caller);
      await this.setGates(true, resuming.fenceRev, resuming.version); // also when finishing an interrupted resume
      // Writes to intents frozen by the upgrade are allowed again only now that the version switch is durable.
      await this.d.intents.unfreezeAll();
      await this.move({ kind: 'finish_resume' }, caller, resuming);
    });
  }

  /** Stops admitting intents of these protocol versions (an upgrade's `deprecate_versions`, a protocol rollout). */
  setDeprecatedVersions(
    caller: Caller,
    versions: readonly string[],
    sunsets: Readonly<Record<string, number>> = {},
  ): Promise<DrainStatus> {
    return this.admin(caller, 'versions.deprecate', { versions, sunsets }, () =>
      this.move({ kind: 'set_deprecated', versions, sunsets }, caller),
    );
  }

  /** Stamps new intents with `version` from now on, admission staying open (a protocol rollout's migration phase). */
  setRunningVersion(caller: Caller, version: string): Promise<DrainStatus> {
    return this.admin(caller, 'versions.run', { version }, () =>
      this.move({ kind: 'set_running_version', version }, caller),
    );
  }

  /** Drained → Upgrading, for the upgrade workflow. */
  beginUpgrade(caller: Caller, targetVersion: string): Promise<DrainStatus> {
    return this.admin(caller, 'upgrade.begin', { target_version: targetVersion }, () =>
      this.move({ kind: 'begin_upgrade', targetVersion }, caller),
    );
  }

  /** The drain status; as a side effect, repairs stale gates and moves Draining to Drained once it is true. */
  async status(): Promise<DrainStatus> {
    let snap = await this.settledSnapshot();
    // The gates were read closed before the intents are counted: a closed gate admits nothing, so a zero
    // count read after it stays zero until a later mode change (which the conditional write below would detect).
    const census = await this.d.intents.census(snap);
    if (snap.mode.mode === 'Draining' && fenceClosed(snap, this.d.shardCount) && census.total === 0) {
      try {
        await this.move({ kind: 'mark_drained' }, 'system', snap.mode);
      } catch (err) {
        if (!(err instanceof ConflictError)) throw err; // a concurrent admin call moved first: report what is stored
      }
      snap = await this.d.fence.snapshot();
    }
    return toDrainStatus(snap, census, this.d.shardCount, this.d.clock.now());
  }

  /** A snapshot whose gates match the mode, repairing what an interrupted call left behind. */
  private async settledSnapshot(): Promise<FenceSnapshot> {
    const snap = await this.d.fence.snapshot();
    if (staleGates(snap, this.d.shardCount)) {
      await this.setGates(admitsIntents(snap.mode.mode), snap.mode.fenceRev, snap.mode.version);
      return this.d.fence.snapshot();
    }
    if (missingCloseCounts(snap)) {
      await this.recordCloseCounts(snap.mode.fenceRev);
      return this.d.fence.snapshot();
    }
    return snap;
  }

  /** Applies one transition: conditional write of the mode, then the gates when their desired state flipped. */
  private async move(action: ModeAction, by: Caller | 'system', from?: ModeState): Promise<ModeState> {
    const current = from ?? (await this.d.fence.readMode());
    const next = await this.next(current, action, by);
    await this.d.fence.writeMode(next, current.rev, writerOf(by));
    if (next.fenceRev !== current.fenceRev || next.version !== current.version)
      await this.setGates(admitsIntents(next.mode), next.fenceRev, next.version);
    return next;
  }

  /**
   * The state `action` leads to. An illegal move by a writer that does not own the mode (an operator during an
   * upgrade) is refused as that (409 upgrade_owns_mode, naming the upgrade), which says more than the transition.
   */
  private async next(current: ModeState, action: ModeAction, by: Caller | 'system'): Promise<ModeState> {
    try {
      return transition(current, action, by === 'system' ? 'system' : by.actor, this.d.clock.now());
    } catch (err) {
      if (!(err instanceof IllegalTransitionError) || by === 'system') throw err;
      throw (await this.d.fence.ownerRefusal(writerOf(by))) ?? err;
    }
  }

  private async setGates(open: boolean, fenceRev: number, version: string): Promise<void> {
    await this.d.fence.setGates(open, fenceRev, version);
    if (!open) await this.recordCloseCounts(fenceRev);
  }

  /**
   * Counts each shard right after its gate closed (the base of completed_since_drain) and stamps when the gates
   * were known closed: this call runs after every close was acknowledged, so no intent created after the stamp
   * (give or take the clock skew allowance) can have been admitted. See docs/fence-design.md.
   */
  private async recordCloseCounts(fenceRev: number): Promise<void> {
    const census = await this.d.intents.census();
    await this.d.fence.recordCloseCounts(fenceRev, census.perShard, this.d.clock.now());
  }

  private async admin(
    caller: Caller,
    action: string,
    params: Record<string, unknown>,
    run: () => Promise<unknown>,
  ): Promise<DrainStatus> {
    return audited(
      this.d.audit,
      this.d.clock,
      caller,
      action,
      params,
      async () => {
        await run();
        return this.status();
      },
      (s) => `mode is now ${s.mode} (inflight ${s.inflight_count})`,
    );
  }
}
