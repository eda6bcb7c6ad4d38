import type { ExecutionEvent } from '../../shared/upgrade/workflow-engine.ts';
import type { AdminRead, Answer } from './admin-reads.ts';
import { type ExecutionSummary, summariseExecution } from './execution-summary.ts';

/** One step of the current upgrade, as the timeline shows it. */
export interface TimelineStep {
  readonly name: string;
  readonly started_at: number;
  readonly ended_at: number | null;
  readonly outcome: string;
  readonly cause: string | null;
}

/** Everything the console page shows but the inflight list, read in one request. */
export interface ConsoleSnapshot {
  readonly at: string;
  readonly drain: Answer;
  readonly upgrade_status: Answer;
  /** The current (or latest) upgrade: its record, its steps, and its execution folded for the graph. */
  readonly upgrade: {
    readonly record: Record<string, unknown>;
    readonly steps: readonly TimelineStep[];
    readonly execution: ExecutionSummary | null;
  } | null;
  readonly upgrades: Answer;
  readonly proposals: Answer;
  readonly rollouts: Answer;
  readonly checkpoints: Answer;
}

/** Reads the admin GET routes the page shows (each answer kept whole, errors included) in one go. */
export async function consoleSnapshot(read: AdminRead): Promise<ConsoleSnapshot> {
  const [drain, upgradeStatus, upgrades, proposals, rollouts, checkpoints] = await Promise.all([
    read('/admin/drain/status'),
    read('/admin/upgrade/status'),
    read('/admin/upgrades?limit=20'),
    read('/admin/proposals?limit=20'),
    read('/admin/protocol/rollouts?limit=10'),
    read('/admin/checkpoints?limit=20'),
  ]);
  const id = upgradeStatus.status === 200 ? upgradeStatus.body.upgrade_id : undefined;
  const detail = typeof id === 'string' ? await read(`/admin/upgrades/${encodeURIComponent(id)}`) : null;
  return {
    at: new Date().toISOString(),
    drain,
    upgrade_status: upgradeStatus,
    upgrade: detail?.status === 200 ? upgradeView(detail.body) : null,
    upgrades,
    proposals,
    rollouts,
    checkpoints,
  };
}

function upgradeView(body: Record<string, unknown>): NonNullable<ConsoleSnapshot['upgrade']> {
  const steps = (body.steps ?? []) as TimelineStep[];
  const events = body.execution_events as ExecutionEvent[] | null;
  return {
    record: body.upgrade as Record<string, unknown>,
    steps: steps.map(({ name, started_at, ended_at, outcome, cause }) => ({
      name,
      started_at,
      ended_at,
      outcome,
      cause,
    })),
    execution: events ? summariseExecution(events) : null,
  };
}
