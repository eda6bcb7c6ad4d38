/** What became of a schedule's last firing: the upgrade it registered (or that was refused), from the history. */
export interface ScheduleRun {
  readonly upgrade_id: string;
  readonly at: string;
  readonly outcome: string;
  readonly error: string | null;
}

/** A scheduled upgrade: when, and the UpgradeConfig request it starts with. */
export interface UpgradeSchedule {
  readonly name: string;
  readonly expression: string;
  readonly request: Record<string, unknown>;
  readonly created_at: string | null;
  /** ENABLED (waiting to fire), FIRED (an at() schedule that has fired), MISSED (the local runtime was down when it was due). */
  readonly state: string;
  /** Set by the schedule service from the history: how the last firing ended (null: not fired yet). */
  readonly last_run?: ScheduleRun | null;
  /** Why a schedule did not start anything (MISSED), when the store knows. */
  readonly note?: string | null;
}

/** The input a schedule starts the state machine with: the schedule's name travels with the request. */
export const scheduledInput = (name: string, request: Record<string, unknown>) => ({
  scheduled: true,
  schedule_name: name,
  request,
});

/** Where schedules live: EventBridge Scheduler on AWS (starting the state machine), in-process timers locally. */
export interface ScheduleStore {
  readonly kind: 'aws' | 'local';
  create(schedule: { name: string; expression: string; request: Record<string, unknown> }): Promise<void>;
  list(): Promise<UpgradeSchedule[]>;
  /** False when there was no such schedule. */
  delete(name: string): Promise<boolean>;
}
