import { runSimulation } from '@cloud-copilot/iam-simulate';
import { ACCOUNT } from './template.ts';

/** One authorization AWS makes for a request: an IAM action on a resource, with the condition keys that matter. */
export interface Authorization {
  readonly action: string;
  /** The resource ARN, or `*` for actions without resource-level permissions. */
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  /** The resource's own policy when AWS needs it to allow too (KMS key policies). */
  readonly resourcePolicy?: unknown;
}

/** A request AWS would refuse, as the harness logs it. */
export interface Denial extends Authorization {
  readonly principal: string;
  readonly result: string;
}

type Policies = { name: string; policy: unknown }[];

/**
 * Evaluates authorizations against a principal's identity policies with @cloud-copilot/iam-simulate (same-account
 * resources, no resource policies, no SCPs), remembering answers and every denial.
 */
export class IamEvaluator {
  readonly denials: Denial[] = [];
  private readonly cache = new Map<string, Promise<string>>();

  /** Resolves to null when allowed, else the denial (also logged in `denials`). */
  async check(principal: string, policies: Policies, a: Authorization): Promise<Denial | null> {
    const key = JSON.stringify([principal, a.action, a.resource, a.context ?? {}, a.resourcePolicy ?? null]);
    let answer = this.cache.get(key);
    if (!answer) {
      answer = this.simulate(principal, policies, a);
      this.cache.set(key, answer);
    }
    const result = await answer;
    if (result === 'Allowed') return null;
    const { resourcePolicy: _, ...request } = a;
    const denial = { ...request, principal, result };
    this.denials.push(denial);
    return denial;
  }

  /** The denials of principals whose ARN contains `part`, as "action on resource" lines. */
  deniedFor(part: string): string[] {
    return this.denials.filter((d) => d.principal.includes(part)).map((d) => `${d.action} on ${d.resource}`);
  }

  private async simulate(principal: string, policies: Policies, a: Authorization): Promise<string> {
    const out = await runSimulation(
      {
        request: {
          principal,
          action: a.action,
          resource: { resource: a.resource, accountId: ACCOUNT },
          contextVariables: { 'aws:PrincipalAccount': ACCOUNT, ...(a.context ?? {}) },
        },
        identityPolicies: policies,
        ...(a.resourcePolicy ? { resourcePolicy: a.resourcePolicy } : {}),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (out.resultType === 'error') return `SimulationError: ${out.errors.message}`;
    return out.overallResult;
  }
}

/** The message AWS gives for an implicit deny by identity policy. */
export const deniedMessage = (d: Denial): string =>
  `User: ${d.principal} is not authorized to perform: ${d.action} on resource: ${d.resource} because no identity-based policy allows the ${d.action} action`;
