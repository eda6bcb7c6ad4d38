import { audited, type Caller } from '../domain/audited.ts';
import type { DrainService } from '../domain/drain-service.ts';
import type { DrainStatus } from '../domain/drain-status.ts';
import { ConflictError, DomainError } from '../domain/errors.ts';
import { recordPatch, writeRecord } from './record-patch.ts';
import { type OperatorPhase, phaseOf } from './upgrade-phase.ts';
import type { UpgradeRecord } from './upgrade-record.ts';
import type { UpgradeServices } from './upgrade-services.ts';

/** An operator's call on the drain API. */
export type DrainRequest =
  | { readonly kind: 'start'; readonly reason: string; readonly drainTimeoutSecs: number }
  | { readonly kind: 'cancel' }
  | { readonly kind: 'force'; readonly acknowledgeLockedFunds: boolean }
  | { readonly kind: 'resume'; readonly version: string | null };

/** What a drain call did to the running upgrade (null: there was none, the drain service acted). */
export interface UpgradeEffect {
  readonly upgrade_id: string;
  readonly phase: OperatorPhase;
  readonly action: 'abort' | 'force' | 'continue';
  readonly message: string;
}

export type DrainReply = DrainStatus & { readonly upgrade: UpgradeEffect | null };

/** What the upgrade does on an operator's behalf; the rest of each call's phases is a 409 (see `refusal`). */
type UpgradeAction = UpgradeEffect['action'];
export const DURING_UPGRADE: Record<DrainRequest['kind'], Partial<Record<OperatorPhase, UpgradeAction>>> = {
  start: {},
  cancel: { starting: 'abort', draining: 'abort' },
  force: { draining: 'force' },
  resume: { waiting_deploy: 'continue' },
};

/** The upgrade's own actions a drain call maps to (UpgradeService.abort, UpgradeSignals.continueDeploy). */
export interface UpgradeActions {
  abort(caller: Caller): Promise<{ message: string }>;
  continueDeploy(caller: Caller, id: string, version: string | null): Promise<unknown>;
}

/**
 * The drain API as an operator calls it. With no upgrade running, the drain service acts (its mode write is
 * conditional on no upgrade holding the lock, so an upgrade that starts meanwhile makes it a 409 that lands here).
 * While one runs, the mode is the upgrade's: each call means what DURING_UPGRADE says for the upgrade's phase, and
 * is otherwise refused with the upgrade's id, its step and the way forward. Nothing here writes the mode: the
 * upgrade's own steps do, under its lock.
 */
export class DrainRequests {
  constructor(
    private readonly drain: DrainService,
    private readonly svc: UpgradeServices,
    private readonly upgrade: UpgradeActions,
  ) {}

  async handle(caller: Caller, req: DrainRequest): Promise<DrainReply> {
    const holder = await this.svc.upgrades.lockHolder();
    if (!holder) {
      try {
        return { ...(await this.direct(caller, req)), upgrade: null };
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'upgrade_owns_mode')) throw err;
      }
    }
    const id = holder ?? (await this.svc.upgrades.lockHolder());
    const record = id ? await this.svc.upgrades.get(id) : null;
    if (!record) return { ...(await this.direct(caller, req)), upgrade: null }; // it ended meanwhile
    const phase = phaseOf(record);
    const action = DURING_UPGRADE[req.kind][phase];
    if (!action) throw refusal(req.kind, phase, record);
    const message = await this.act(caller, req, action, record);
    return { ...(await this.drain.status()), upgrade: { upgrade_id: record.id, phase, action, message } };
  }

  private direct(caller: Caller, req: DrainRequest): Promise<DrainStatus> {
    switch (req.kind) {
      case 'start':
        return this.drain.startDrain(caller, req.reason, req.drainTimeoutSecs);
      case 'cancel':
        return this.drain.cancel(caller);
      case 'force':
        return this.drain.force(caller, req.acknowledgeLockedFunds);
      case 'resume':
        return this.drain.resume(caller, req.version);
    }
  }

  private async act(caller: Caller, req: DrainRequest, action: UpgradeAction, r: UpgradeRecord) {
    if (action === 'abort') {
      await this.upgrade.abort(caller);
      return `drain cancel during upgrade ${r.id}'s drain aborts it: it cancels its drain at its next check and admission reopens on ${r.from_version}. Follow GET /admin/upgrade/status`;
    }
    if (action === 'continue') {
      const version = req.kind === 'resume' ? req.version : null;
      await this.upgrade.continueDeploy(caller, r.id, version);
      const on = version ?? r.to_version;
      return `drain resume is the go-ahead of upgrade ${r.id}: it runs its post-checks, then resumes on ${on}. Follow GET /admin/upgrade/status`;
    }
    const ack = req.kind === 'force' && req.acknowledgeLockedFunds;
    return this.requestForce(caller, r, ack);
  }

  /** The upgrade's own force path: the locked-funds rule now, then its next drain check forces the drain. */
  private requestForce(caller: Caller, r: UpgradeRecord, ack: boolean): Promise<string> {
    const params = { upgrade_id: r.id, acknowledge_locked_funds: ack };
    return audited(
      this.svc.audit,
      this.svc.clock,
      caller,
      'drain.force',
      params,
      async () => {
        await this.drain.requireForceAllowed(ack);
        const at = new Date(this.svc.clock.now()).toISOString();
        const force_requested = { by: caller.actor, at, acknowledge_locked_funds: ack };
        await writeRecord(this.svc.upgrades, r.id, recordPatch('execution', { force_requested }));
        return `upgrade ${r.id} forces its drain at its next drain check (audited), then goes on to its checkpoint. Follow GET /admin/upgrade/status`;
      },
      (m) => m,
    );
  }
}

/** What each phase allows instead, said to an operator whose drain call the running upgrade refuses. */
const WAY_FORWARD: Record<OperatorPhase, (r: UpgradeRecord) => string> = {
  starting: (r) =>
    `it is running its pre-checks: POST /admin/drain/cancel (or /admin/upgrade/abort) stops it and ${r.from_version} goes on`,
  draining: (r) =>
    `it is draining: POST /admin/drain/cancel aborts it and reopens admission on ${r.from_version}; POST /admin/drain/force forces its drain`,
  changing: (r) =>
    `it has drained and is changing the system: POST /admin/upgrade/abort rolls it back to its checkpoint and resumes ${r.from_version}; or wait`,
  waiting_deploy: (r) =>
    `it waits for its deploy: POST /admin/drain/resume (or /admin/upgrade/${r.id}/continue) goes on; POST /admin/upgrade/abort rolls back`,
  waiting_governance: (r) =>
    `it waits for the governance migration: POST /admin/upgrade/${r.id}/confirm-migration {"tx_hash": "…"} goes on; POST /admin/upgrade/abort rolls back`,
  resumed: (r) =>
    `it has resumed on ${r.to_version} and admits intents: POST /admin/upgrade/${r.id}/promote ends its bake; POST /admin/upgrade/abort rolls it back`,
  rolling_back: (r) =>
    `it is rolling back to ${r.from_version}: wait, then the old version resumes by itself`,
  ending: () => 'it is recording how it ended: retry in a few seconds',
};

/** The 409 for a drain call the running upgrade's phase does not take. */
export function refusal(kind: DrainRequest['kind'], phase: OperatorPhase, r: UpgradeRecord): ConflictError {
  return new ConflictError(
    'upgrade_owns_mode',
    `drain ${kind} refused: upgrade ${r.id} owns the drain mode (step ${r.current_step ?? '-'}); ${WAY_FORWARD[phase](r)}. Follow GET /admin/upgrade/status`,
    { upgrade_id: r.id, phase, step: r.current_step },
  );
}
