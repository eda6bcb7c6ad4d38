import { randomBytes } from 'node:crypto';
import { audited, type Caller } from '../domain/audited.ts';
import { ConflictError, DomainError, ForbiddenError, ValidationError } from '../domain/errors.ts';
import { VERSION_PATTERN } from '../domain/inflight.ts';
import { requireReadableAlarms } from './bake/bake-spec.ts';
import { recordPatch, writeRecord } from './record-patch.ts';
import { recoverOrphanedUpgrade } from './recover-orphan.ts';
import { recordScheduledRefusal } from './scheduled-refusal.ts';
import { runConfig, type UpgradeConfig } from './upgrade-config.ts';
import { UpgradeReads } from './upgrade-reads.ts';
import type { UpgradeRecord } from './upgrade-record.ts';
import type { UpgradeServices } from './upgrade-services.ts';
import type { WorkflowEngine } from './workflow-engine.ts';
import type { WorkflowState } from './workflow-state.ts';

const runningConflict = (id: string) =>
  new ConflictError('upgrade_running', `upgrade ${id} is running`, {
    running_upgrade_id: id,
  });

/** A readable, unique execution name: upgrade-<target>-<UTC time>-<random>, within Step Functions' 80 characters. */
export function executionName(target: string | null, now: number): string {
  const stamp = new Date(now).toISOString().replace(/[-:]/g, '').slice(0, 15);
  return `upgrade-${(target ?? 'maintenance').replace(/[^A-Za-z0-9]/g, '_').slice(0, 40)}-${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Starts, watches and aborts upgrades; one at a time, never sooner than the minimum interval unless overridden. */
export class UpgradeService {
  private readonly reads: UpgradeReads;

  constructor(
    private readonly svc: UpgradeServices,
    private readonly engine: () => WorkflowEngine,
  ) {
    this.reads = new UpgradeReads(svc, engine);
  }

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
          throw new ForbiddenError('approval_required', 'upgrades need approval here');
        const { record, input } = await this.register(
          caller,
          config,
          opts.name ?? null,
          opts.proposalId ?? null,
        );
        try {
          const { executionArn } = await this.engine().start(record.id, input);
          await writeRecord(
            this.svc.upgrades,
            record.id,
            recordPatch('execution', { execution_arn: executionArn }),
          );
          return { ...record, execution_arn: executionArn };
        } catch (err) {
          await writeRecord(
            this.svc.upgrades,
            record.id,
            recordPatch('outcome', {
              state: 'failed',
              error: `could not start: ${(err as Error).message}`,
              finished_at: this.svc.clock.now(),
            }),
          );
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
              config: done.config,
              proposal_id: done.proposal_id ?? null,
              rollback_attempts: { count: 0 },
            };
          }
          const { input } = await this.register(caller, config, executionName, proposalId);
          await writeRecord(
            this.svc.upgrades,
            executionName,
            recordPatch('execution', {
              execution_arn: executionArn,
              schedule_name: scheduleName,
            }),
          );
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
    if (config.target_version !== null && !VERSION_PATTERN.test(config.target_version))
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
    // A maintenance upgrade runs on the version running now (recorded, so a retry or a recovery reads the same).
    const run = runConfig(config, mode.version);
    const name = givenName ?? executionName(config.target_version, now);
    const changesVersion = run.target_version !== mode.version && config.strategy !== 'rolling';
    const holder = await this.svc.upgrades.acquireLock(name, now, changesVersion);
    if (holder) throw runningConflict(holder);
    const record: UpgradeRecord = {
      id: name,
      execution_name: name,
      execution_arn: null,
      from_version: mode.version,
      to_version: run.target_version,
      state: 'running',
      started_at: now,
      finished_at: null,
      requested_by: caller.actor,
      reason: config.reason,
      config: run,
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
        config: run,
        proposal_id: proposalId,
        rollback_attempts: { count: 0 },
      },
    };
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
        if (record && !(await this.reads.executionRunning(record))) {
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
        await writeRecord(this.svc.upgrades, holder, recordPatch('execution', { abort_requested: true }));
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
