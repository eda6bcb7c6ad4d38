import { ValidationError } from '../../domain/errors.ts';
import type { CheckSpec } from '../check-spec.ts';

/** A rollback trigger watched during the bake (after resume, before the upgrade counts as succeeded). */
export type BakeTrigger =
  /** Any named alarm in ALARM: CloudWatch on AWS (DescribeAlarms), the embedded runtime's alarm file locally. */
  | { readonly type: 'alarm'; readonly names: readonly string[] }
  /** A health check failing (Unhealthy, or Degraded unless allowed) `consecutive` times in a row. */
  | { readonly type: 'health'; readonly check: CheckSpec; readonly consecutive: number }
  /** An intent admitted on the new version still inflight after `max_age_secs`. */
  | { readonly type: 'stuck_inflight'; readonly max_age_secs: number }
  /** More than `max_pct` % of the completions since the resume were `failed`, once there are `min_samples`. */
  | { readonly type: 'intent_failures'; readonly max_pct: number; readonly min_samples: number };

/** The `bake` section of an upgrade request, defaults filled in. */
export interface BakeSpec {
  readonly duration_secs: number;
  /** Triggers are not read before this much of the bake has passed (an operator's abort always counts). */
  readonly warmup_secs: number;
  readonly check_interval_secs: number;
  readonly triggers: readonly BakeTrigger[];
}

/** Whether the bake counts completions by outcome (it has an intent_failures trigger). */
export const countsOutcomes = (b: BakeSpec | null | undefined): boolean =>
  !!b?.triggers.some((t) => t.type === 'intent_failures');

/** The bake's limits: its checks must fit the execution's history next to two full drains (workflow-budget test). */
export const BAKE_LIMITS = { duration_secs: 86_400, max_checks: 300 } as const;

/** The bake section as requested. */
export interface BakeRequest {
  readonly duration_secs: number;
  readonly warmup_secs?: number | undefined;
  readonly check_interval_secs?: number | undefined;
  readonly triggers: readonly (
    | { type: 'alarm'; names: readonly string[] }
    | { type: 'health'; check: CheckSpec; consecutive?: number | undefined }
    | { type: 'stuck_inflight'; max_age_secs: number }
    | { type: 'intent_failures'; max_pct: number; min_samples?: number | undefined }
  )[];
}

export function bakeWithDefaults(b: BakeRequest | undefined): BakeSpec | null {
  if (!b) return null;
  return {
    duration_secs: b.duration_secs,
    warmup_secs: b.warmup_secs ?? 0,
    check_interval_secs: b.check_interval_secs ?? 10,
    triggers: b.triggers.map((t) =>
      t.type === 'health'
        ? { ...t, consecutive: t.consecutive ?? 3 }
        : t.type === 'intent_failures'
          ? { ...t, min_samples: t.min_samples ?? 20 }
          : t,
    ),
  };
}

/** What in a bake section exceeds its limits, as messages. */
export function bakeProblems(b: BakeSpec | null, contractMode: string): string[] {
  if (!b) return [];
  const out: string[] = [];
  if (b.duration_secs > BAKE_LIMITS.duration_secs)
    out.push(`bake.duration_secs must be at most ${BAKE_LIMITS.duration_secs} (got ${b.duration_secs})`);
  const checks = Math.ceil(b.duration_secs / b.check_interval_secs);
  if (checks > BAKE_LIMITS.max_checks)
    out.push(
      `bake: ${checks} checks (duration_secs / check_interval_secs) is more than ${BAKE_LIMITS.max_checks}: raise check_interval_secs`,
    );
  if (b.warmup_secs >= b.duration_secs) out.push('bake.warmup_secs must be less than bake.duration_secs');
  if (contractMode === 'governance')
    out.push(
      'bake: a contract migrated by governance cannot be rolled back by this control plane, so it cannot bake: drop the bake or migrate directly',
    );
  return out;
}

/**
 * Alarm triggers may name only the alarms the deploy lets the control plane read (BAKE_ALARMS on AWS, where
 * DescribeAlarms is granted on exactly those: names, or prefixes ending in `*`, by default `ucp-bake-*`); null
 * (locally) allows any. A message, or null when fine.
 */
export function requireReadableAlarms(b: BakeSpec | null, allowed: readonly string[] | null): void {
  const problem = unreadableAlarms(b, allowed);
  if (problem) throw new ValidationError(problem);
}

function unreadableAlarms(b: BakeSpec | null, allowed: readonly string[] | null): string | null {
  if (!b || allowed === null) return null;
  const named = b.triggers.flatMap((t) => (t.type === 'alarm' ? t.names : []));
  const readable = (n: string) =>
    allowed.some((a) => (a.endsWith('*') ? n.startsWith(a.slice(0, -1)) : a === n));
  const missing = named.filter((n) => !readable(n));
  if (!missing.length) return null;
  return (
    `bake: the control plane may not read alarm ${missing.join(', ')}: name bake alarms ucp-bake-..., or redeploy ` +
    `with -c bakeAlarms=${[...allowed, ...missing].join(',')} (it may read: ${allowed.join(', ') || 'none'})`
  );
}
