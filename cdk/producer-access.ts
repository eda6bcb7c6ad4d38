import { CfnOutput, Stack } from 'aws-cdk-lib';
import { AccountRootPrincipal, ManagedPolicy, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PRODUCER_POLICY_OUTPUT, PRODUCER_ROLE_OUTPUT } from '../client/access-denied.ts';
import { intentComplete, intentRegister, intentUpdate } from '../lambdas/routes.ts';
import { type DataTargets, dataStatements } from './access.ts';

/** The routes whose work a producer's client does itself (client/intent-client.ts). */
export const PRODUCER_ROUTES = [intentRegister, intentUpdate, intentComplete] as const;

/** The stack outputs a producer's client is configured from (besides the policy and role ARNs). */
export const CONTROL_TABLE_OUTPUT = 'ControlTableName';
export const INTENTS_TABLE_OUTPUT = 'IntentsTableName';

/**
 * Statements with the same resources and conditions as one statement with the union of their actions: the three
 * routes' grants overlap (the key, the intents table), and the policy lists each once.
 */
export function mergeStatements(statements: readonly PolicyStatement[]): PolicyStatement[] {
  const merged = new Map<string, { actions: Set<string>; resources: string[]; conditions: object }>();
  for (const s of statements) {
    const key = JSON.stringify([s.resources, s.conditions]);
    const entry = merged.get(key) ?? {
      actions: new Set<string>(),
      resources: s.resources,
      conditions: s.conditions,
    };
    for (const a of s.actions) entry.actions.add(a);
    merged.set(key, entry);
  }
  return [...merged.values()].map(
    (m) =>
      new PolicyStatement({
        actions: [...m.actions].sort(),
        resources: m.resources,
        ...(Object.keys(m.conditions).length ? { conditions: m.conditions as Record<string, unknown> } : {}),
      }),
  );
}

/**
 * What an intent producer needs to run the fence itself (the producer client): a managed policy granting exactly the
 * intent routes' access (lambdas/routes.ts, through cdk/access.ts, so the two are never listed twice), and a role
 * with it that the account may assume, like the API's intent role. Producers may attach the policy to their own
 * roles instead. It lives in the data stack, beside the tables it names, so it does not change with the API's
 * deploys. Outputs: the policy and role ARNs and the two table names.
 */
export class ProducerAccess extends Construct {
  readonly policy: ManagedPolicy;
  readonly role: Role;

  constructor(scope: Construct, id: string, targets: DataTargets) {
    super(scope, id);
    this.role = new Role(this, 'Role', {
      assumedBy: new AccountRootPrincipal(),
      description: 'Intent producers running the fence themselves: register, update and complete on DynamoDB',
    });
    this.policy = new ManagedPolicy(this, 'Policy', {
      description:
        'Intent producers: the DynamoDB (and KMS) calls of register, update and complete (the producer client)',
      statements: mergeStatements(PRODUCER_ROUTES.flatMap((r) => dataStatements(r.aws, targets))),
      roles: [this.role],
    });
    const stack = Stack.of(this);
    const outputs: [string, string, string][] = [
      [
        PRODUCER_POLICY_OUTPUT,
        this.policy.managedPolicyArn,
        "Attach to a producer's role: what the producer client needs",
      ],
      [PRODUCER_ROLE_OUTPUT, this.role.roleArn, 'A role with the producer policy, assumable by the account'],
      [CONTROL_TABLE_OUTPUT, targets.control.tableName, "The producer client's `tables.control`"],
      [INTENTS_TABLE_OUTPUT, targets.intents.tableName, "The producer client's `tables.intents`"],
    ];
    for (const [name, value, description] of outputs) new CfnOutput(stack, name, { value, description });
  }
}
