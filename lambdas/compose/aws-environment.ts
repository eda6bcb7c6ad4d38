import { loadConfig } from '../../shared/config.ts';
import { type Bindable, type Environment, environmentOf, type PortOverrides } from './environment.ts';

let aws: Environment | null = null;

/**
 * The environment of a Lambda function: its configuration from the function's variables, and no overrides (each
 * port is the AWS adapter). Built at the first call; a configuration error surfaces there, naming the variable,
 * and the next call tries again.
 */
export function awsEnvironment(): Environment {
  aws ??= environmentOf(loadConfig());
  return aws;
}

/** The AWS environment with the ports a function brings itself (a chain Task: its CosmJS client). */
export function awsEnvironmentWith(extra: (env: Environment) => PortOverrides): () => Environment {
  let built: Environment | null = null;
  return () => {
    if (!built) {
      const base = awsEnvironment();
      built = environmentOf(base.config, { ...base.overrides, ...extra(base) });
    }
    return built;
  };
}

/**
 * A handler from `make(envOf)`: on Lambda bound to the AWS environment, and `withEnvironment(env)` for the local
 * stack and the tests. Each binding is made once.
 */
export function bindable<F extends (...args: never[]) => unknown>(
  make: (envOf: () => Environment) => F,
  envOf: () => Environment = awsEnvironment,
): Bindable<F> {
  const bound = new WeakMap<Environment, F>();
  return Object.assign(make(envOf), {
    withEnvironment(env: Environment): F {
      if (!bound.has(env))
        bound.set(
          env,
          make(() => env),
        );
      return bound.get(env) as F;
    },
  });
}
