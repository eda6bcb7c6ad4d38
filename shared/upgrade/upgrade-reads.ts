import type { DrainStatus } from '../domain/drain-status.ts';
import { NotFoundError } from '../domain/errors.ts';
import { type ComponentProgress, componentProgress } from './components/component-progress.ts';
import type { IbcVerifications } from './ibc/ibc-verification.ts';
import { phaseOf } from './upgrade-phase.ts';
import type { StepRecord, UpgradeRecord } from './upgrade-record.ts';
import type { UpgradeServices } from './upgrade-services.ts';
import type { ExecutionEvent, WorkflowEngine } from './workflow-engine.ts';

/** The seeds' UpgradeStatus, plus the step under way and what an operator needs to act on it. */
/** The status before any upgrade has run: nothing to follow, and the drain status as it stands. */
export interface NoUpgradeStatus {
  readonly state: 'none';
  readonly upgrade_id: null;
  readonly next: null;
  readonly drain_status: DrainStatus;
  readonly inflight_count: number;
}

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
  /** Each contract and service of the upgrade, in its declared order: pending, current, done or rolled back. */
  readonly components: readonly ComponentProgress[];
  /** `rolling`: replica by replica with admission open; `drain`: behind a global drain. */
  readonly strategy: 'drain' | 'rolling';
  /** The checkpoint's pending IBC packets read on chain after the resume and after a rollback (null: not yet). */
  readonly ibc_verification: IbcVerifications | null;
}

/** The instructions a wait for the operator recorded (shared/upgrade/steps/deploy.ts, the governance wait). */
const waitMessage = (r: UpgradeRecord): string | null => {
  const message = (r.result as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** What the operator reads about upgrades: the status as it really stands, the history, one upgrade's steps. */
export class UpgradeReads {
  constructor(
    private readonly svc: UpgradeServices,
    private readonly engine: () => WorkflowEngine,
  ) {}

  /** The running upgrade, or else the latest one; before any upgrade, `state: "none"` with the drain status. */
  async status(): Promise<UpgradeStatus | NoUpgradeStatus> {
    const holder = await this.svc.upgrades.lockHolder();
    let record = holder ? await this.svc.upgrades.get(holder) : (await this.svc.upgrades.list(1))[0];
    if (!record) {
      const drain = await this.svc.drain.status();
      return {
        state: 'none',
        upgrade_id: null,
        next: null,
        drain_status: drain,
        inflight_count: drain.inflight_count,
      };
    }
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
      : alive.state === 'running' && !alive.next && phaseOf(record).startsWith('waiting_')
        ? { state: alive.state, next: waitMessage(record) }
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
      components: componentProgress(record),
      ibc_verification: record.ibc_verification ?? null,
      strategy: record.config.strategy ?? 'drain',
    };
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
            requested_by: r.deployment.requested_by,
            continued_by: r.deployment.continued_by,
            replicas: r.deployment.replicas.map((x) => ({
              service: x.service ?? null,
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
}
