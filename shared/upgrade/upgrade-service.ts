import { randomBytes } from 'node:crypto';
import { audited, type Caller } from '../domain/audited.ts';
import type { DrainStatus } from '../domain/drain-status.ts';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from '../domain/errors.ts';
import { VERSION_PATTERN } from '../domain/inflight.ts';
import { requireReadableAlarms } from './bake/bake-spec.ts';
import { recoverOrphanedUpgrade } from './recover-orphan.ts';
import { recordScheduledRefusal } from './scheduled-refusal.ts';
import type { UpgradeConfig } from './upgrade-config.ts';
import type { StepRecord, UpgradeRecord } from './upgrade-record.ts';
import type { UpgradeServices } from './upgrade-services.ts';
import type { ExecutionEvent, WorkflowEngine } from './workflow-engine.ts';
import type { WorkflowState } from './workflow-state.ts';

/** The seeds' UpgradeStatus, plus the step under way and what an operator needs to act on it. */
export interface UpgradeStatus {
  readonly upgrade_id: string;
  readonly execution_name: string;
  /** The record's state, or, for a running upgrade whose execution stopped, `interrupted` / `recovering`. */
  readonly state: UpgradeRecord['state'] | 'interrupted' | 'recovering' | 'baking';
  /** What happens next, in words, when it is not simply the next step (resumed, interrupted, recovering). */
  readonly next: string | null;
  readonly current_step: string | null;
  readonly from_version: string;
  readonly target_version: string;
  readonly started_at: string;
  readonly finished_at: string | null;
  readonly drain_status: DrainStatus;
  readonly inflight_count: number;
  readonly checkpoint_id: string | null;
  readonly progress_pct: number;
  readonly estimated_completion: string | null;
  readonly migration_progress: UpgradeRecord['migration_progress'];
  readonly abort_requested: boolean;
  readonly error: string | null;
  /** The bake after resume: state, when it ends, seconds left, each trigger's last reading, what tripped it. */
  readonly bake: {
    readonly state: string;
    readonly ends_at: string;
    readonly seconds_left: number;
    readonly readings: readonly { trigger: string; fired: boolean; detail: string }[];
    readonly trigger: string | null;
  } | null;
}

const runningConflict = (id: string) =>
  new ConflictError(
    'upgrade_running',
    `upgrade ${id} is running; follow GET /admin/upgrade/status, or abort it first`,
    {
      running_upgrade_id: id,
    },
  );

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** A readable, unique execution name: upgrade-<target>-<UTC time>-<random>, within Step Functions' 80 characters. */
export function executionName(target: string, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `upgrade-${target.replace(/[^A-Za-z0-9]/g, '_').slice(0, 40)}-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Starts, watches and aborts upgrades; one at a time, never sooner than the minimum interval unless overridden. */
export class UpgradeService {
  constructor(
    private readonly svc: UpgradeServices,
    private readonly engine: () => WorkflowEngine,
  ) {}

  /** Registers the upgrade (checks, lock, record) and starts its execution. */
  async start(
    caller: Caller,
    config: UpgradeConfig,
    opts: { name?: string; proposalId?: string } = {},
  ): Promise<UpgradeRecord> {
    return audited(
      this.svc.audit,
      this.svc.clock,
      caller,
      'upgrade.start',
      { ...config, proposal_id: opts.proposalId ?? null },
      async () => {
        if (this.svc.approval && !config.dry_run && !opts.proposalId)
          throw new ForbiddenError(
            'approval_required',
            'upgrades need approval here: propose it with POST /admin/proposals {upgrade, description}, get it approved, then POST /admin/proposals/{id}/execute (a dry run needs none)',
          );
        const { record, input } = await this.register(
          caller,
          config,
          opts.name ?? null,
          opts.proposalId ?? null,
        );
        try {
          const { executionArn } = await this.engine().start(record.id, input);
          await this.svc.upgrades.update(record.id, { execution_arn: executionArn });
          return { ...record, execution_arn: executionArn };
        } catch (err) {
          await this.svc.upgrades.update(record.id, {
            state: 'failed',
            error: `could not start: ${(err as Error).message}`,
            finished_at: this.svc.clock.now(),
          });
          await this.svc.upgrades.releaseLock(record.id);
          throw err;
        }
      },
      (r) => `started ${r.id} (${r.from_version} -> ${r.to_version})`,
    );
  }

  /**
   * An execution started by an EventBridge schedule registers itself (its first Task): the same checks, lock and
   * record as a start through the API, under the execution's own name. Refused (another upgrade running, too
   * soon, not Active), it leaves a `refused` record saying why in the history, then throws as before.
   */
  async registerScheduled(
    executionName: string,
    executionArn: string | null,
    config: UpgradeConfig,
    scheduleName: string | null = null,
    proposalId: string | null = null,
  ): Promise<WorkflowState> {
    const caller: Caller = { actor: `scheduler:${executionName}`, correlationId: executionName };
    return audited(
      this.svc.audit,
      this.svc.clock,
      caller,
      'upgrade.start',
      { ...config, scheduled: true, schedule_name: scheduleName },
      async () => {
        try {
          const mine = (await this.svc.upgrades.lockHolder()) === executionName;
          const done = mine ? await this.svc.upgrades.get(executionName) : null;
          if (done) {
            // A retried Task whose first attempt registered already: the same answer, nothing written twice.
            const { from_version } = done;
            return {
              scheduled: false,
              upgrade_id: executionName,
              from_version,
              config,
              proposal_id: done.proposal_id ?? null,
              rollback_attempts: { count: 0 },
            };
          }
          const { input } = await this.register(caller, config, executionName, proposalId);
          await this.svc.upgrades.update(executionName, {
            execution_arn: executionArn,
            schedule_name: scheduleName,
          });
          return input;
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          const ref = { executionName, executionArn, scheduleName };
          await recordScheduledRefusal(this.svc, ref, config, err.message);
          throw err;
        }
      },
      (s) => `scheduled upgrade ${s.upgrade_id} registered`,
    );
  }

  /** A scheduled execution whose request is invalid: recorded as refused, like the other refusals. */
  async refuseScheduled(
    ref: { executionName: string; executionArn: string | null; scheduleName: string | null },
    config: UpgradeConfig,
    reason: string,
  ): Promise<void> {
    await recordScheduledRefusal(this.svc, ref, config, reason);
  }

  private async register(
    caller: Caller,
    config: UpgradeConfig,
    givenName: string | null,
    proposalId: string | null,
  ): Promise<{ record: UpgradeRecord; input: WorkflowState }> {
    if (!VERSION_PATTERN.test(config.target_version))
      throw new ValidationError('target_version must look like 2.0.0');
    requireReadableAlarms(config.bake, this.svc.bakeAlarms);
    const now = this.svc.clock.now();
    const running = await this.svc.upgrades.lockHolder();
    if (running) throw runningConflict(running);
    const mode = await this.svc.fence.readMode();
    if (mode.mode !== 'Active') {
      throw new ConflictError(
        'not_active',
        `the system is ${mode.mode}; an upgrade starts from Active (resume or cancel first)`,
      );
    }
    if (config.target_version === mode.version) {
      throw new ValidationError(`target_version ${config.target_version} is already the running version`);
    }
    await this.checkInterval(caller, config, now);
    const name = givenName ?? executionName(config.target_version, now);
    const holder = await this.svc.upgrades.acquireLock(name, now);
    if (holder) throw runningConflict(holder);
    const record: UpgradeRecord = {
      id: name,
      execution_name: name,
      execution_arn: null,
      from_version: mode.version,
      to_version: config.target_version,
      state: 'running',
      started_at: now,
      finished_at: null,
      requested_by: caller.actor,
      reason: config.reason,
      config,
      current_step: 'Starting',
      progress_pct: 0,
      checkpoint_id: null,
      records_migrated: 0,
      migration_progress: null,
      abort_requested: false,
      error: null,
      result: null,
      proposal_id: proposalId,
    };
    await this.svc.upgrades.create(record);
    return {
      record,
      input: {
        scheduled: false,
        upgrade_id: name,
        from_version: mode.version,
        config,
        proposal_id: proposalId,
        rollback_attempts: { count: 0 },
      },
    };
  }

  /** The running upgrade, or else the latest one. */
  async status(): Promise<UpgradeStatus> {
    const holder = await this.svc.upgrades.lockHolder();
    let record = holder ? await this.svc.upgrades.get(holder) : (await this.svc.upgrades.list(1))[0];
    if (!record) throw new NotFoundError('no upgrade has run yet: start one with POST /admin/upgrade/start');
    let alive =
      record.state === 'running' ? await this.liveness(record) : { state: record.state, next: null };
    // An execution that ended between the record's read and its own: the record, read again, says how it ended.
    const again = alive.state === 'interrupted' ? await this.svc.upgrades.get(record.id) : null;
    if (again && again.state !== 'running') {
      record = again;
      alive = { state: again.state, next: null };
    }
    const drain = await this.svc.drain.status();
    const now = this.svc.clock.now();
    const elapsed = now - record.started_at;
    const baking = alive.state === 'running' && !alive.next && record.bake?.state === 'baking';
    const left = record.bake ? Math.max(0, Math.ceil((record.bake.ends_at - now) / 1000)) : 0;
    const live = baking
      ? {
          state: 'baking' as const,
          next: `baking on ${record.to_version} for ${left} s more; POST /admin/upgrade/${record.id}/promote ends it as a success, POST /admin/upgrade/abort rolls it back`,
        }
      : alive;
    const eta =
      live.state === 'running' && !live.next && record.progress_pct > 0
        ? record.started_at + (elapsed * 100) / record.progress_pct
        : null;
    return {
      upgrade_id: record.id,
      execution_name: record.execution_name,
      state: live.state,
      next: live.next,
      current_step: record.current_step,
      from_version: record.from_version,
      target_version: record.to_version,
      started_at: new Date(record.started_at).toISOString(),
      finished_at: iso(record.finished_at),
      drain_status: drain,
      inflight_count: drain.inflight_count,
      checkpoint_id: record.checkpoint_id,
      progress_pct: record.progress_pct,
      estimated_completion: iso(record.finished_at ?? (eta === null ? null : Math.round(eta))),
      migration_progress: record.migration_progress,
      abort_requested: record.abort_requested,
      error: record.error,
      bake: record.bake
        ? {
            state: record.bake.state,
            ends_at: new Date(record.bake.ends_at).toISOString(),
            seconds_left: left,
            readings: record.bake.readings,
            trigger: record.bake.trigger,
          }
        : null,
    };
  }

  /** Ends a bake early as a success (the next look at the bake passes it). */
  async promote(caller: Caller, id: string): Promise<{ upgrade_id: string; promoted: true }> {
    return audited(
      this.svc.audit,
      this.svc.clock,
      caller,
      'upgrade.promote',
      { upgrade_id: id },
      async () => {
        const record = await this.svc.upgrades.get(id);
        if (!record) throw new NotFoundError(`no upgrade ${id}`);
        if (record.state !== 'running' || record.bake?.state !== 'baking')
          throw new ConflictError(
            'not_baking',
            `upgrade ${id} is not baking (state ${record.state}, bake ${record.bake?.state ?? 'none'}): only a bake can be promoted`,
          );
        await this.svc.upgrades.update(id, { bake_promoted_by: caller.actor });
        return { upgrade_id: id, promoted: true as const };
      },
      () => `bake of ${id} promoted`,
    );
  }

  /** Asks the running upgrade to stop at its next safe point (cancel during the drain, roll back after migration began). */
  async abort(caller: Caller): Promise<{ upgrade_id: string; abort_requested: true; message: string }> {
    return audited(
      this.svc.audit,
      this.svc.clock,
      caller,
      'upgrade.abort',
      {},
      async () => {
        const holder = await this.svc.upgrades.lockHolder();
        if (!holder) throw new ConflictError('no_upgrade_running', 'no upgrade is running');
        const record = await this.svc.upgrades.get(holder);
        if (record && !(await this.executionRunning(record))) {
          // Recovery may take long (rollbacks, replicas, the chain): in the background where the engine can.
          const request = {
            upgrade_id: holder,
            reason: 'its execution was no longer running',
            by_operator: true,
          };
          const engine = this.engine();
          const done = engine.startRecovery
            ? await engine
                .startRecovery(request)
                .then(() => 'recovery started; follow GET /admin/upgrade/status')
            : (await recoverOrphanedUpgrade(this.svc, record, request.reason, true)).message;
          return {
            upgrade_id: holder,
            abort_requested: true as const,
            message: `its execution was no longer running, so the control plane recovers it: ${done}`,
          };
        }
        await this.svc.upgrades.update(holder, { abort_requested: true });
        const waiting = [
          record?.deployment?.continued_by ? null : record?.deployment?.task_token,
          record?.governance?.confirmed_by ? null : record?.governance?.task_token,
        ];
        for (const token of waiting.filter((t): t is string => !!t)) {
          // Waiting for a deploy or a governance migration: end the wait now, and the workflow rolls back.
          // An unknown token means the wait has ended already (continued, confirmed, timed out).
          await this.engine()
            .sendTaskFailure(token, 'AbortRequested', 'an operator aborted the upgrade while it waited')
            .catch(() => {});
        }
        return {
          upgrade_id: holder,
          abort_requested: true as const,
          message:
            'the upgrade stops at its next safe point: during the drain it cancels the drain; once migration began it ' +
            'rolls back to the checkpoint; then the old version resumes. Follow GET /admin/upgrade/status',
        };
      },
      (r) => `abort requested for ${r.upgrade_id}`,
    );
  }

  /** The operator has deployed the backend (manual mode): the workflow goes on to the post-checks. */
  async continueDeploy(caller: Caller, id: string): Promise<{ upgrade_id: string; continued: true }> {
    return audited(
      this.svc.audit,
      this.svc.clock,
      caller,
      'upgrade.continue',
      { upgrade_id: id },
      async () => {
        const dep = await this.waitingFor(id, 'a deploy', (r) =>
          r.deployment?.task_token && !r.deployment.continued_by ? r.deployment : null,
        );
        // The engine first: only a wait it still holds may be recorded as continued (a restart or a timeout ends it).
        await this.release(id, 'a deploy', dep.task_token, { continued_by: caller.actor });
        const fresh = (await this.svc.upgrades.get(id))?.deployment ?? dep;
        await this.svc.upgrades.update(id, {
          deployment: { ...fresh, continued_by: caller.actor },
          result: null,
        });
        return { upgrade_id: id, continued: true as const };
      },
      () => `deploy confirmed for ${id}`,
    );
  }

  /** Governance mode: the proposal has migrated the contract; the workflow verifies it on-chain and goes on. */
  async confirmMigration(
    caller: Caller,
    id: string,
    txHash: string,
  ): Promise<{ upgrade_id: string; confirmed: true }> {
    return audited(
      this.svc.audit,
      this.svc.clock,
      caller,
      'upgrade.confirm_migration',
      { upgrade_id: id, tx_hash: txHash },
      async () => {
        const gov = await this.waitingFor(id, 'a governance migration', (r) =>
          r.governance?.task_token && !r.governance.confirmed_by ? r.governance : null,
        );
        await this.release(id, 'a governance migration', gov.task_token, {
          tx_hash: txHash,
          confirmed_by: caller.actor,
        });
        const fresh = (await this.svc.upgrades.get(id))?.governance ?? gov;
        await this.svc.upgrades.update(id, {
          governance: { ...fresh, tx_hash: txHash, confirmed_by: caller.actor },
        });
        return { upgrade_id: id, confirmed: true as const };
      },
      () => `governance migration confirmed for ${id}`,
    );
  }

  /** The wait (deploy or governance) a running upgrade is in, or a 404/409 that says why there is none. */
  private async waitingFor<W extends { task_token: string | null }>(
    id: string,
    what: string,
    pick: (r: UpgradeRecord) => W | null,
  ): Promise<W & { task_token: string }> {
    const record = await this.svc.upgrades.get(id);
    if (!record) throw new NotFoundError(`no upgrade ${id}`);
    const wait = record.state === 'running' ? pick(record) : null;
    if (!wait?.task_token) {
      throw new ConflictError(
        'not_waiting',
        `upgrade ${id} is not waiting for ${what} (state ${record.state}, step ${record.current_step ?? '-'})`,
      );
    }
    return wait as W & { task_token: string };
  }

  /**
   * A running upgrade as it really stands: its execution may have been resumed after a restart, have stopped
   * (interrupted: recovery will end it), or be replaced by a recovery under way. Never a stale "running".
   */
  async liveness(record: UpgradeRecord): Promise<{ state: UpgradeStatus['state']; next: string | null }> {
    if (record.current_step === 'Recovering')
      return {
        state: 'recovering',
        next: 'its execution could not resume: recovery is rolling it back (or forward, if the switch to the target version was durable); no action needed',
      };
    if (!(await this.executionRunning(record))) {
      const auto = this.engine().startRecovery
        ? 'recovery starts by itself (the local runtime at its next start; on AWS the rule on failed executions)'
        : 'POST /admin/upgrade/abort recovers it';
      return {
        state: 'interrupted',
        next: `its execution stopped at "${record.current_step ?? '-'}" and cannot resume: ${auto}`,
      };
    }
    const events = record.execution_arn
      ? await this.engine()
          .history(record.execution_arn)
          .catch(() => [])
      : [];
    const resumed = events.filter((e) => e.type === 'ExecutionResumed').pop();
    return resumed
      ? {
          state: 'running',
          next: `resumed at "${resumed.state ?? '-'}" after a restart (${resumed.timestamp}); it goes on from there`,
        }
      : { state: 'running', next: null };
  }

  /**
   * Ends the wait in the engine. A token the engine no longer holds (the wait timed out, was aborted, or the
   * process restarted) is a 409 `not_waiting`, and the caller writes nothing.
   */
  private async release(id: string, what: string, token: string, output: unknown): Promise<void> {
    try {
      await this.engine().sendTaskSuccess(token, output);
    } catch (err) {
      if (!(err instanceof NotFoundError || err instanceof ConflictError)) throw err;
      throw new ConflictError(
        'not_waiting',
        `upgrade ${id} is no longer waiting for ${what}: ${err.message}. Follow GET /admin/upgrade/status`,
      );
    }
  }

  /** Whether the engine still runs this upgrade's execution (an unknown execution counts as not running). */
  /**
   * Is the upgrade's own execution running? Without an ARN yet (registering), `unknown` is the answer: running for
   * the API (give it the benefit of the doubt), not running for recovery (its start never completed).
   */
  async executionRunning(record: UpgradeRecord, unknown = true): Promise<boolean> {
    if (!record.execution_arn) return unknown;
    try {
      return (await this.engine().describe(record.execution_arn)).status === 'RUNNING';
    } catch (err) {
      if ((err as { code?: string }).code === 'not_found') return false;
      throw err;
    }
  }

  async history(limit: number) {
    const records = await this.svc.upgrades.list(limit);
    return records.map((r) => ({
      id: r.id,
      from: r.from_version,
      to: r.to_version,
      started: new Date(r.started_at).toISOString(),
      finished: iso(r.finished_at),
      outcome: r.state,
      checkpoint_id: r.checkpoint_id,
      records_migrated: r.records_migrated,
      error: r.error,
      requested_by: r.requested_by,
      deployment: r.deployment
        ? {
            mode: r.deployment.mode,
            requested_by: r.deployment.requested_by,
            continued_by: r.deployment.continued_by,
            replicas: r.deployment.replicas.map((x) => ({
              name: x.name,
              from: x.from,
              to: x.to,
              outcome: x.outcome,
              duration_ms: x.duration_ms,
            })),
            smoke_test_ok: r.deployment.smoke_test?.ok ?? null,
          }
        : null,
    }));
  }

  async detail(
    id: string,
  ): Promise<{ upgrade: UpgradeRecord; steps: StepRecord[]; execution_events: ExecutionEvent[] | null }> {
    const upgrade = await this.svc.upgrades.get(id);
    if (!upgrade) throw new NotFoundError(`no upgrade ${id}`);
    const steps = (await this.svc.upgrades.steps(id)).sort((a, b) => a.started_at - b.started_at);
    let events: ExecutionEvent[] | null = null;
    if (upgrade.execution_arn)
      events = await this.engine()
        .history(upgrade.execution_arn)
        .catch(() => null);
    return { upgrade, steps, execution_events: events };
  }

  private async checkInterval(caller: Caller, config: UpgradeConfig, now: number): Promise<void> {
    const min = this.svc.minUpgradeIntervalSecs;
    if (min === 0) return;
    const last = (await this.svc.upgrades.list(50)).find(
      (r) => r.state === 'succeeded' && r.finished_at !== null,
    );
    if (!last?.finished_at || now - last.finished_at >= min * 1000) return;
    const next = new Date(last.finished_at + min * 1000).toISOString();
    if (!config.override_min_interval_reason) {
      throw new ConflictError(
        'too_soon',
        `the last upgrade (${last.id}) finished less than ${min} s ago; the next is allowed from ${next}, ` +
          'or pass override_min_interval_reason to override (audited)',
        { next_allowed_at: next },
      );
    }
    await this.svc.audit.record({
      at: now,
      actor: caller.actor,
      action: 'upgrade.override_min_interval',
      params: { reason: config.override_min_interval_reason, last_upgrade: last.id, next_allowed_at: next },
      outcome: 'succeeded',
      message: `minimum interval of ${min} s overridden: ${config.override_min_interval_reason}`,
      correlationId: caller.correlationId,
    });
  }
}
