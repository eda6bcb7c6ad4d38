import { AwsScheduleStore } from '../../shared/adapters/scheduler/aws-schedule-store.ts';
import { AwsWorkflowEngine } from '../../shared/adapters/sfn/aws-workflow-engine.ts';
import { type Config, ConfigError } from '../../shared/config.ts';
import { buildControlPlane, type ControlPlane } from '../../shared/control-plane.ts';
import { ScheduleService } from '../../shared/upgrade/schedule-service.ts';
import type { ScheduleStore } from '../../shared/upgrade/schedules.ts';
import { UpgradeReads } from '../../shared/upgrade/upgrade-reads.ts';
import { UpgradeService } from '../../shared/upgrade/upgrade-service.ts';
import { UpgradeSignals } from '../../shared/upgrade/upgrade-signals.ts';
import type { WorkflowEngine } from '../../shared/upgrade/workflow-engine.ts';
import { coreRuntime, resetCoreRuntime } from './core-runtime.ts';

export { logger } from './logger.ts';

interface Runtime {
  readonly config: Config;
  readonly cp: ControlPlane;
  readonly upgrades: UpgradeService;
  /** Status as it really stands, history, one upgrade's steps. */
  readonly reads: UpgradeReads;
  /** Promote, continue, confirm-migration: what an operator tells a running upgrade. */
  readonly signals: UpgradeSignals;
  readonly schedules: ScheduleService;
}

let cached: Runtime | null = null;
let localEngine: WorkflowEngine | null = null;
let localSchedules: ScheduleStore | null = null;
let awsEngine: WorkflowEngine | null = null;
let awsSchedules: ScheduleStore | null = null;

/** The workflow engine: Step Functions when STATE_MACHINE_ARN is set, else the embedded runtime's interpreter. */
function engine(config: Config): WorkflowEngine {
  if (config.stateMachineArn) {
    awsEngine ??= new AwsWorkflowEngine(config.stateMachineArn, config.region);
    return awsEngine;
  }
  if (localEngine) return localEngine;
  throw new ConfigError(
    'no workflow engine: set STATE_MACHINE_ARN on AWS, or run the embedded runtime (npm start)',
  );
}

/** The schedule store: EventBridge Scheduler on AWS, the embedded runtime's timers locally. */
function scheduleStore(config: Config): ScheduleStore {
  if (config.stateMachineArn && config.scheduleGroup && config.schedulerRoleArn) {
    awsSchedules ??= new AwsScheduleStore({
      groupName: config.scheduleGroup,
      stateMachineArn: config.stateMachineArn,
      roleArn: config.schedulerRoleArn,
      region: config.region,
    });
    return awsSchedules;
  }
  if (localSchedules) return localSchedules;
  throw new ConfigError(
    'no scheduler: set SCHEDULE_GROUP and SCHEDULER_ROLE_ARN on AWS, or run the embedded runtime',
  );
}

/**
 * Configuration and services, built once per process: on Lambda at cold start, locally once for all handlers.
 * Configuration errors surface on the first request with a message naming the variable.
 */
export function runtime(): Runtime {
  if (!cached) {
    const core = coreRuntime();
    const config = core.config;
    const cp = buildControlPlane(config, core.cp.clock, core.cp);
    cached = {
      config,
      cp,
      upgrades: new UpgradeService(cp.upgrade, () => engine(config)),
      reads: new UpgradeReads(cp.upgrade, () => engine(config)),
      signals: new UpgradeSignals(cp.upgrade, () => engine(config)),
      schedules: new ScheduleService(
        () => scheduleStore(config),
        cp.audit,
        cp.upgrade.clock,
        config.maintenanceWindows,
        cp.upgrade.upgrades,
      ),
    };
  }
  return cached;
}

/** The embedded runtime registers its local interpreter here. */
export function useLocalWorkflowEngine(
  e: WorkflowEngine | null,
  schedules: ScheduleStore | null = null,
): void {
  localEngine = e;
  localSchedules = schedules;
}

/** Forgets the cached services (tests and the local runtime call this after changing the environment). */
export function resetRuntime(): void {
  cached = null;
  resetCoreRuntime();
}
