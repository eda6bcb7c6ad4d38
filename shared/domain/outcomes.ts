/** How an intent ended, as its completion says (`POST /intents/{id}/complete {"outcome"}`; settled by default). */
export const OUTCOMES = ['settled', 'failed', 'refunded'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const DEFAULT_OUTCOME: Outcome = 'settled';

export type OutcomeTotals = Readonly<Record<Outcome, number>>;

/** What an upgrade's bake counts: completions since it began counting, by outcome, until `until` (epoch ms). */
export interface OutcomeCounting {
  readonly upgradeId: string;
  readonly since: number;
  readonly until: number;
  /** Only completions of intents these replicas own count (a canary's bake); absent: every completion. */
  readonly owners?: readonly string[];
}

/** Whether a completion of an intent with this owner counts for `c`. */
export const countsFor = (c: OutcomeCounting, owner: string | null): boolean =>
  !c.owners || (owner !== null && c.owners.includes(owner));

/**
 * Outcomes of completions, counted only while a bake watches them (an `intent_failures` trigger): outside a bake a
 * completion costs nothing more than its delete.
 */
export interface OutcomeLedger {
  /** Who counts now, or null (read by every completion, so the service caches it for a second). */
  counting(): Promise<OutcomeCounting | null>;
  /** Begins counting for this upgrade (idempotent: a bake resumed after a crash keeps its start). */
  begin(counting: OutcomeCounting): Promise<void>;
  /** Stops counting, if this upgrade is the one counting. */
  end(upgradeId: string): Promise<void>;
  /** Adds one completion (`key` spreads the writes over the counter items; the intent id). */
  add(upgradeId: string, outcome: Outcome, key: string): Promise<void>;
  totals(upgradeId: string): Promise<OutcomeTotals>;
}

export const noOutcomes = (): Record<Outcome, number> => ({ settled: 0, failed: 0, refunded: 0 });
