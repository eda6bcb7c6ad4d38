/** A scheduled upgrade: when, and the UpgradeConfig request it starts with. */
export interface UpgradeSchedule {
  readonly name: string;
  readonly expression: string;
  readonly request: Record<string, unknown>;
  readonly created_at: string | null;
  readonly state: string;
}

/** Where schedules live: EventBridge Scheduler on AWS (starting the state machine), in-process timers locally. */
export interface ScheduleStore {
  readonly kind: 'aws' | 'local';
  create(schedule: { name: string; expression: string; request: Record<string, unknown> }): Promise<void>;
  list(): Promise<UpgradeSchedule[]>;
  /** False when there was no such schedule. */
  delete(name: string): Promise<boolean>;
}
