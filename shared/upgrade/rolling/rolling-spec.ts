import type { ServiceSpec } from '../deploy-spec.ts';

/** How an upgrade changes the system: behind a global drain (every intent refused meanwhile), or replica by replica. */
export const STRATEGIES = ['drain', 'rolling'] as const;
export type Strategy = (typeof STRATEGIES)[number];

interface RollingRequest {
  readonly strategy?: Strategy | undefined;
  readonly target_version?: string | undefined;
  readonly migrations?: readonly string[] | undefined;
  readonly contract?: unknown;
  readonly contracts?: readonly unknown[] | undefined;
  readonly bake?: unknown;
  readonly deprecate_versions?: readonly string[] | undefined;
  readonly canary?: { readonly replicas: number } | undefined;
}

/**
 * What a rolling release may not do, each with what to fix: a rolling release keeps admitting intents on the
 * running protocol version, so it changes no stored record and no contract (those need the global drain), and it
 * rolls only services whose every replica can be drained and resumed by hooks.
 */
export function rollingProblems(
  c: RollingRequest,
  services: readonly ServiceSpec[],
): { path: (string | number)[]; message: string }[] {
  if (c.strategy !== 'rolling')
    return c.canary
      ? [
          {
            path: ['canary'],
            message: 'a canary rolls first in a rolling release: add "strategy": "rolling"',
          },
        ]
      : [];
  const problems: { path: (string | number)[]; message: string }[] = [];
  const drainOnly = 'needs the global drain: leave strategy out (or "drain") to change it';
  if (c.target_version === undefined)
    problems.push({
      path: ['target_version'],
      message: 'a rolling release needs target_version: the version its replicas move to',
    });
  if (c.migrations?.length)
    problems.push({ path: ['migrations'], message: `migrating stored records ${drainOnly}` });
  if (c.contract !== undefined || c.contracts?.length)
    problems.push({
      path: [c.contract !== undefined ? 'contract' : 'contracts'],
      message: `a contract migration ${drainOnly}`,
    });
  if (c.bake !== undefined)
    problems.push({
      path: ['bake'],
      message: 'a rolling release does not bake yet: drop bake, or use the global drain',
    });
  if (c.deprecate_versions?.length)
    problems.push({ path: ['deprecate_versions'], message: `deprecating a protocol version ${drainOnly}` });
  if (!services.length)
    problems.push({
      path: ['services'],
      message: 'a rolling release needs services (or deploy) with deploy hooks to roll',
    });
  const first = services[0]?.deploy;
  if (c.canary && first?.mode === 'hooks' && c.canary.replicas >= first.targets.length)
    problems.push({
      path: ['canary', 'replicas'],
      message: `the canary must be fewer replicas than the first service has (${first.targets.length}): it is rolled and baked before the rest`,
    });
  services.forEach((s, i) => {
    if (s.deploy.mode !== 'hooks') {
      problems.push({
        path: ['services', i, 'deploy', 'mode'],
        message: `service ${s.name}: a rolling release rolls hooks, not a manual deploy`,
      });
      return;
    }
    for (const t of s.deploy.targets)
      for (const hook of ['drain_url', 'resume_url'] as const)
        if (!t[hook])
          problems.push({
            path: ['services', i, 'deploy', 'targets', t.name, hook],
            message: `service ${s.name} replica ${t.name} has no ${hook}: a rolling release drains each replica by its own hooks`,
          });
  });
  return problems;
}
