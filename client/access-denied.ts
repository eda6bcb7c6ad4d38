import { DomainError } from '../shared/domain/errors.ts';

/** The data stack's output naming the managed policy a producer's role needs (cdk/producer-access.ts). */
export const PRODUCER_POLICY_OUTPUT = 'ProducerPolicyArn';
/** The data stack's output naming a role that has it, for producers that assume one. */
export const PRODUCER_ROLE_OUTPUT = 'ProducerRoleArn';

/**
 * DynamoDB (or KMS behind it) refused a call of the producer client: the caller's role lacks the producer policy.
 * Nothing of the refused call was written; `action` and `resource` say what AWS refused, when it said.
 */
export class ProducerAccessDeniedError extends DomainError {
  constructor(
    readonly operation: 'register' | 'update' | 'complete',
    awsMessage: string,
  ) {
    const [, action, resource] = /perform: (\S+) on resource: (\S+)/.exec(awsMessage) ?? [];
    super(
      'producer_access_denied',
      'forbidden',
      `${operation}: AWS refused ${action ?? 'a DynamoDB call'}${resource ? ` on ${resource}` : ''}: the producer's IAM role lacks the producer policy. Attach the managed policy of the data stack's output ${PRODUCER_POLICY_OUTPUT} to this role (or assume the role of ${PRODUCER_ROLE_OUTPUT}). AWS said: ${awsMessage}`,
      {
        ...(action ? { action } : {}),
        ...(resource ? { resource } : {}),
        policy_output: PRODUCER_POLICY_OUTPUT,
      },
    );
  }
}

/** Whether `err` is AWS refusing the caller (AccessDenied, from DynamoDB or from KMS behind it). */
export const isAccessDenied = (err: unknown): err is Error =>
  err instanceof Error && /AccessDenied/.test(err.name);
