/** What an instance name may be: short, lower case, so every name derived from it stays within AWS's limits. */
export const INSTANCE_PATTERN = /^[a-z][a-z0-9-]{0,15}$/;

/** The instance of `cdk deploy` without `-c instance=...`. */
export const DEFAULT_INSTANCE = 'main';

/**
 * Every physical name of one deployment, derived from its instance name (`-c instance=staging`), so several
 * deployments (staging and production, say) fit side by side in one account and Region.
 */
export interface InstanceNames {
  readonly instance: string;
  /** `ucp-<instance>`: the stem of every name below. */
  readonly prefix: string;
  /** The CloudFormation stack of one concern: data, workflow, api, observability. */
  stack(concern: 'data' | 'workflow' | 'api' | 'observability'): string;
  readonly stateMachine: string;
  readonly scheduleGroup: string;
  readonly restApi: string;
  /** The X-Ray sampling rule of the intent routes (at most 32 characters: `ucp-` + 16 + `-intents`). */
  readonly intentTraceRule: string;
  readonly dashboard: string;
  /** The `service` dimension of the handlers' metrics (POWERTOOLS_SERVICE_NAME), so instances' alarms stay apart. */
  readonly service: string;
  /** The state machine's log group, before the stack's own id (see workflow-stack.ts). */
  readonly executionLogsPrefix: string;
  alarm(name: string): string;
}

/** The names of instance `instance`; a name AWS could not take fails the synth, saying what is allowed. */
export function instanceNames(instance: string = DEFAULT_INSTANCE): InstanceNames {
  if (!INSTANCE_PATTERN.test(instance))
    throw new Error(
      `instance "${instance}": use 1-16 lower-case letters, digits or hyphens, starting with a letter (-c instance=staging)`,
    );
  const prefix = `ucp-${instance}`;
  return {
    instance,
    prefix,
    stack: (concern) => `${prefix}-${concern}`,
    stateMachine: `${prefix}-upgrade`,
    scheduleGroup: prefix,
    restApi: prefix,
    intentTraceRule: `${prefix}-intents`,
    dashboard: prefix,
    service: prefix,
    executionLogsPrefix: `/aws/vendedlogs/states/${prefix}-upgrade-`,
    alarm: (name) => `${prefix}-${name}`,
  };
}
