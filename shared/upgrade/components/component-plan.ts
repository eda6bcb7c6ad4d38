import type { NamedContractSpec } from '../contract/contract-spec.ts';
import { replicaWorstCaseSecs, type ServiceSpec } from '../deploy-spec.ts';

/**
 * What the workflow does for one component, as its Choice reads it: migrate a contract, wait for a governance
 * migration, roll a service out through its hooks, or wait for an operator's deploy.
 */
export type ComponentStep = 'migrate_contract' | 'governance' | 'roll_out' | 'manual_deploy';

/** One part of the system an upgrade changes, in the order it changes them. */
export interface Component {
  readonly kind: 'contract' | 'service';
  readonly name: string;
  readonly step: ComponentStep;
  /** A wait's timeout (governance or manual deploy): the state's TimeoutSecondsPath; 0 for the others. */
  readonly timeout_secs: number;
}

/** The most components of each kind one upgrade may change, and the most replicas over all its services. */
export const COMPONENT_LIMITS = { contracts: 10, services: 10, replicas: 100 } as const;

/**
 * The longest all components of one upgrade may take together (waits, rollouts), so that with the drain, the
 * rollback and every state's timeout the worst case fits the execution's 24 days (test/workflow-budget.test.ts).
 */
export const COMPONENTS_BUDGET_SECS = 16 * 86_400;

/** The seeds' Procedure 2 order: contracts (migrate, verify), then the services that speak to them. */
export const defaultOrder = (
  contracts: readonly { name: string }[],
  services: readonly { name: string }[],
): string[] => [...contracts.map((c) => c.name), ...services.map((s) => s.name)];

/** The components in the order given (default: contracts, then services). Names are checked by the schema. */
export function planComponents(
  contracts: readonly NamedContractSpec[],
  services: readonly ServiceSpec[],
  order: readonly string[] | null,
): Component[] {
  return (order ?? defaultOrder(contracts, services)).map((name): Component => {
    const contract = contracts.find((c) => c.name === name);
    if (contract)
      return contract.governance
        ? { kind: 'contract', name, step: 'governance', timeout_secs: contract.governance.timeout_secs }
        : { kind: 'contract', name, step: 'migrate_contract', timeout_secs: 0 };
    const service = services.find((s) => s.name === name);
    if (!service) throw new Error(`no component named ${name}`);
    const d = service.deploy;
    return d.mode === 'manual'
      ? { kind: 'service', name, step: 'manual_deploy', timeout_secs: d.deploy_timeout_secs }
      : { kind: 'service', name, step: 'roll_out', timeout_secs: 0 };
  });
}

/** A direct migration's Task (migrate, then verify every settlement and escrow) at its function's timeout. */
const CONTRACT_TASK_SECS = 900;

/** The longest one contract's migration may take (its governance wait included). */
export const contractWorstCaseSecs = (c: NamedContractSpec): number =>
  (c.governance?.timeout_secs ?? 0) + CONTRACT_TASK_SECS;

/** The longest one service's deploy may take: an operator's wait, or every batch of replicas at its worst. */
export function serviceWorstCaseSecs({ deploy: d }: ServiceSpec): number {
  if (d.mode === 'manual') return d.deploy_timeout_secs;
  return Math.ceil(d.targets.length / d.max_parallel) * replicaWorstCaseSecs(d);
}

/** The longest the components may take, waits and rollouts together (see COMPONENTS_BUDGET_SECS). */
export function componentsWorstCaseSecs(
  contracts: readonly NamedContractSpec[],
  services: readonly ServiceSpec[],
): number {
  return (
    contracts.reduce((n, c) => n + contractWorstCaseSecs(c), 0) +
    services.reduce((n, s) => n + serviceWorstCaseSecs(s), 0)
  );
}

/** Problems with the names and order of an upgrade's components, each with the path it concerns. */
export function componentProblems(
  contracts: readonly { name: string; address: string }[],
  services: readonly ServiceSpec[],
  order: readonly string[] | undefined,
): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  const names = defaultOrder(contracts, services);
  const seen = new Map<string, number>();
  names.forEach((n, i) => {
    if (seen.has(n))
      problems.push({
        path: i < contracts.length ? ['contracts', i, 'name'] : ['services', i - contracts.length, 'name'],
        message: `component name "${n}" is used twice: give each contract and service its own name`,
      });
    seen.set(n, i);
  });
  const addresses = new Set<string>();
  contracts.forEach((c, i) => {
    if (addresses.has(c.address))
      problems.push({
        path: ['contracts', i, 'address'],
        message: `contract ${c.address} is listed twice: migrate each contract once per upgrade`,
      });
    addresses.add(c.address);
  });
  const replicas = services.reduce(
    (n, s) => n + (s.deploy.mode === 'hooks' ? s.deploy.targets.length : 0),
    0,
  );
  if (replicas > COMPONENT_LIMITS.replicas)
    problems.push({
      path: ['services'],
      message: `${replicas} replicas over all services is more than ${COMPONENT_LIMITS.replicas}: split the upgrade`,
    });
  if (!order) return problems;
  order.forEach((n, i) => {
    if (!seen.has(n))
      problems.push({
        path: ['order', i],
        message: `"${n}" is not a component of this upgrade (its components: ${names.join(', ') || 'none'})`,
      });
  });
  const missing = names.filter((n) => !order.includes(n));
  if (missing.length)
    problems.push({
      path: ['order'],
      message: `order must name every component once; missing: ${missing.join(', ')}`,
    });
  if (new Set(order).size !== order.length)
    problems.push({ path: ['order'], message: 'order names a component twice' });
  return problems;
}
