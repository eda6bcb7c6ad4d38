/** One trigger's last reading, as the status and the history show it. */
export interface TriggerReading {
  readonly trigger: string;
  readonly fired: boolean;
  readonly detail: string;
}

/** What one look at the bake decided, carried from check to check in the workflow state ($.bake). */
export interface BakeState {
  readonly verdict: 'baking' | 'passed' | 'tripped';
  readonly started_at: number;
  readonly ends_at: number;
  readonly wait_secs: number;
  readonly readings: readonly TriggerReading[];
  readonly failures: Readonly<Record<string, number>>;
  /** What rolls it back: the trigger that fired, or the operator's abort. */
  readonly trigger: string | null;
  readonly aborted: boolean;
  readonly promoted_by: string | null;
}
