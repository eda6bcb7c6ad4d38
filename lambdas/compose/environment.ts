import type { Notifier } from '../../shared/approval/proposal-notice.ts';
import type { ChainPort } from '../../shared/chain/chain-port.ts';
import type { IbcReader } from '../../shared/chain/ibc-reader.ts';
import type { Config } from '../../shared/config.ts';
import type { Clock } from '../../shared/domain/ports.ts';
import type { AlarmSource } from '../../shared/upgrade/bake/alarm-source.ts';
import type { ScheduleStore } from '../../shared/upgrade/schedules.ts';
import type { WorkflowEngine } from '../../shared/upgrade/workflow-engine.ts';

/**
 * Ports an environment provides itself instead of the AWS adapters built from its configuration: the embedded
 * runtime and the tests pass these (its interpreter, its timers, its simulated chain, its alarm file). Lazy where
 * the port is made after the environment (the interpreter runs the Tasks of this very environment).
 */
export interface PortOverrides {
  readonly clock?: Clock;
  readonly workflowEngine?: () => WorkflowEngine;
  readonly scheduleStore?: () => ScheduleStore;
  readonly chain?: () => ChainPort;
  /** Reads IBC packets on chain: CosmJS on the chain's RPC endpoint (a chain Task on AWS, the embedded node locally). */
  readonly ibc?: () => IbcReader;
  readonly alarms?: AlarmSource;
  readonly notifier?: Notifier;
}

/** One composition root: the configuration and the overrides every port factory reads. */
export interface Environment {
  readonly config: Config;
  readonly overrides: PortOverrides;
}

/** An environment of `config`, with the ports given in `overrides` taking the place of AWS's. */
export function environmentOf(config: Config, overrides: PortOverrides = {}): Environment {
  return { config, overrides };
}

/** A port factory that builds once per environment (on Lambda: once per cold start). */
export function memoised<T>(build: (env: Environment) => T): (env: Environment) => T {
  const built = new WeakMap<Environment, T>();
  return (env) => {
    if (!built.has(env)) built.set(env, build(env));
    return built.get(env) as T;
  };
}

/** A Lambda handler that runs in the AWS environment, and can be bound to another (the local stack, a test). */
export type Bindable<F> = F & { withEnvironment(env: Environment): F };
