import { z } from 'zod';
import { ValidationError } from '../../domain/errors.ts';
import { atMost } from '../at-most.ts';
import { CheckSpecSchema } from '../check-spec.ts';

const TriggerSchema = z.discriminatedUnion('type', [
  /** Any named alarm in ALARM: CloudWatch on AWS (DescribeAlarms), the embedded runtime's alarm file locally. */
  z.strictObject({
    type: z.literal('alarm'),
    names: z
      .array(z.string().regex(/^[A-Za-z0-9 ._\-/#:()]{1,255}$/, 'must be a CloudWatch alarm name'))
      .min(1)
      .max(20),
  }),
  /** A health check failing (Unhealthy, or Degraded unless allowed) `consecutive` times in a row. */
  z.strictObject({
    type: z.literal('health'),
    check: CheckSpecSchema,
    consecutive: z.number().int().min(1).max(100).default(3),
  }),
  /** An intent admitted on the new version still inflight after `max_age_secs`. */
  z.strictObject({ type: z.literal('stuck_inflight'), max_age_secs: z.number().int().min(1).max(86_400) }),
  /** IBC packets pending at the checkpoint still not relayed `after_secs` after the bake began (the resume). */
  z.strictObject({ type: z.literal('ibc_pending'), after_secs: z.number().int().min(1).max(86_400) }),
  /** More than `max_pct` % of the completions since the resume were `failed`, once there are `min_samples`. */
  z.strictObject({
    type: z.literal('intent_failures'),
    max_pct: z.number().min(0).max(100),
    min_samples: z.number().int().min(1).max(1_000_000).default(20),
  }),
]);

/** The bake's limits: its checks must fit the execution's history next to two full drains (workflow-budget test). */
export const BAKE_LIMITS = { duration_secs: 86_400, max_checks: 300 } as const;

/** The `bake` section of an upgrade request (README "Bake"): how long, how often, what rolls the upgrade back. */
export const BakeSchema = z
  .strictObject({
    duration_secs: z.number().int().min(1).max(BAKE_LIMITS.duration_secs, atMost),
    /** Triggers are not read before this much of the bake has passed (an operator's abort always counts). */
    warmup_secs: z.number().int().min(0).max(86_400).default(0),
    check_interval_secs: z.number().int().min(1).max(3600).default(10),
    triggers: z.array(TriggerSchema).min(1).max(10),
  })
  .superRefine((b, ctx) => {
    const checks = Math.ceil(b.duration_secs / b.check_interval_secs);
    if (checks > BAKE_LIMITS.max_checks)
      ctx.addIssue({
        code: 'custom',
        message: `${checks} checks (duration_secs / check_interval_secs) is more than ${BAKE_LIMITS.max_checks}: raise check_interval_secs`,
      });
    if (b.warmup_secs >= b.duration_secs)
      ctx.addIssue({ code: 'custom', message: 'warmup_secs must be less than duration_secs' });
  });

/** The bake section as the workflow runs it, defaults filled in. */
export type BakeSpec = z.output<typeof BakeSchema>;

/** A rollback trigger watched during the bake (after resume, before the upgrade counts as succeeded). */
export type BakeTrigger = BakeSpec['triggers'][number];

/** Whether the bake counts completions by outcome (it has an intent_failures trigger). */
export const countsOutcomes = (b: BakeSpec | null | undefined): boolean =>
  !!b?.triggers.some((t) => t.type === 'intent_failures');

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
