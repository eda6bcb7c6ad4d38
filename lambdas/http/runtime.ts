import { Logger } from '@aws-lambda-powertools/logger';
import { AwsWorkflowEngine } from '../../shared/adapters/sfn/aws-workflow-engine.ts';
import { type Config, ConfigError, loadConfig } from '../../shared/config.ts';
import { buildControlPlane, type ControlPlane } from '../../shared/control-plane.ts';
import { UpgradeService } from '../../shared/upgrade/upgrade-service.ts';
import type { WorkflowEngine } from '../../shared/upgrade/workflow-engine.ts';

/** The logger every handler shares (JSON lines; level from POWERTOOLS_LOG_LEVEL). */
export const logger = new Logger({ serviceName: 'upgrade-control-plane' });

interface Runtime {
  readonly config: Config;
  readonly cp: ControlPlane;
  readonly upgrades: UpgradeService;
}

let cached: Runtime | null = null;
let localEngine: WorkflowEngine | null = null;
let awsEngine: WorkflowEngine | null = null;

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

/**
 * Configuration and services, built once per process: on Lambda at cold start, locally once for all handlers.
 * Configuration errors surface on the first request with a message naming the variable.
 */
export function runtime(): Runtime {
  if (!cached) {
    const config = loadConfig();
    const cp = buildControlPlane(config);
    cached = { config, cp, upgrades: new UpgradeService(cp.upgrade, () => engine(config)) };
  }
  return cached;
}

/** The embedded runtime registers its local interpreter here. */
export function useLocalWorkflowEngine(e: WorkflowEngine | null): void {
  localEngine = e;
}

/** Forgets the cached services (tests and the local runtime call this after changing the environment). */
export function resetRuntime(): void {
  cached = null;
}
