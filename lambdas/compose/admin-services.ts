import { AwsScheduleStore } from '../../shared/adapters/scheduler/aws-schedule-store.ts';
import { AwsWorkflowEngine } from '../../shared/adapters/sfn/aws-workflow-engine.ts';
import { type Config, ConfigError } from '../../shared/config.ts';
import { buildControlPlane, type ControlPlane } from '../../shared/control-plane.ts';
import { DrainRequests } from '../../shared/upgrade/drain-requests.ts';
import { ScheduleService } from '../../shared/upgrade/schedule-service.ts';
import type { ScheduleStore } from '../../shared/upgrade/schedules.ts';
import { UpgradeReads } from '../../shared/upgrade/upgrade-reads.ts';
import { UpgradeService } from '../../shared/upgrade/upgrade-service.ts';
import { UpgradeSignals } from '../../shared/upgrade/upgrade-signals.ts';
import type { WorkflowEngine } from '../../shared/upgrade/workflow-engine.ts';
import { coreServices } from './core-services.ts';
import { type Environment, memoised } from './environment.ts';

/** The upgrade routes' and workflow Tasks' services, on the same core as the drain routes. */
export interface AdminServices {
  readonly config: Config;
  readonly cp: ControlPlane;
  readonly upgrades: UpgradeService;
  /** Status as it really stands, history, one upgrade's steps. */
  readonly reads: UpgradeReads;
  /** Promote, continue, confirm-migration: what an operator tells a running upgrade. */
  readonly signals: UpgradeSignals;
  readonly schedules: ScheduleService;
  /** The drain API: the drain service with no upgrade running, the running upgrade's meaning of each call otherwise. */
  readonly drainRequests: DrainRequests;
}

const stepFunctions = memoised((env): WorkflowEngine => {
  const { stateMachineArn, region } = env.config;
  if (!stateMachineArn)
    throw new ConfigError(
      'no workflow engine: set STATE_MACHINE_ARN on AWS, or run the embedded runtime (npm start)',
    );
  return new AwsWorkflowEngine(stateMachineArn, region);
});

/** The workflow engine: the environment's own (the embedded interpreter), else Step Functions. */
export const workflowEngine = (env: Environment): WorkflowEngine =>
  env.overrides.workflowEngine?.() ?? stepFunctions(env);

const eventBridgeScheduler = memoised((env): ScheduleStore => {
  const c = env.config;
  if (!(c.stateMachineArn && c.scheduleGroup && c.schedulerRoleArn))
    throw new ConfigError(
      'no scheduler: set SCHEDULE_GROUP and SCHEDULER_ROLE_ARN on AWS, or run the embedded runtime',
    );
  return new AwsScheduleStore({
    groupName: c.scheduleGroup,
    stateMachineArn: c.stateMachineArn,
    roleArn: c.schedulerRoleArn,
    region: c.region,
  });
});

/** The schedule store: the environment's own (the embedded runtime's timers), else EventBridge Scheduler. */
export const scheduleStore = (env: Environment): ScheduleStore =>
  env.overrides.scheduleStore?.() ?? eventBridgeScheduler(env);

/** The control plane (core, S3 checkpoints, records, chain) of an environment. */
export const controlPlane = memoised(
  (env): ControlPlane =>
    buildControlPlane(
      env.config,
      coreServices(env).clock,
      coreServices(env),
      env.overrides.chain,
      env.overrides.ibc,
    ),
);

/** The upgrade services of an environment, built once. */
export const adminServices = memoised((env): AdminServices => {
  const config = env.config;
  const cp = controlPlane(env);
  const engine = () => workflowEngine(env);
  const upgrades = new UpgradeService(cp.upgrade, engine);
  const signals = new UpgradeSignals(cp.upgrade, engine);
  return {
    config,
    cp,
    upgrades,
    reads: new UpgradeReads(cp.upgrade, engine),
    signals,
    drainRequests: new DrainRequests(cp.upgrade.drain, cp.upgrade, {
      abort: (caller) => upgrades.abort(caller),
      continueDeploy: (caller, id, version) => signals.continueDeploy(caller, id, version),
    }),
    schedules: new ScheduleService(
      () => scheduleStore(env),
      cp.audit,
      cp.upgrade.clock,
      config.maintenanceWindows,
      cp.upgrade.upgrades,
    ),
  };
});
