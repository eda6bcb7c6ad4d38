/** The producer client: the fence's register, update and complete, in-process, against DynamoDB. */

export {
  ConflictError,
  DomainError,
  IntentFrozenError,
  NotAdmittingError,
  NotFoundError,
  NotInitialisedError,
  UnknownVersionError,
  UpgradeRequiredError,
  ValidationError,
} from '../shared/domain/errors.ts';
export type { IntentPatch, RegisterIntent } from '../shared/domain/inflight.ts';
export type { CompletionReply, PresentedIntent } from '../shared/domain/intent-replies.ts';
export type { Outcome } from '../shared/domain/outcomes.ts';
export {
  PRODUCER_POLICY_OUTPUT,
  PRODUCER_ROLE_OUTPUT,
  ProducerAccessDeniedError,
} from './access-denied.ts';
export { IntentClient, type IntentClientOptions } from './intent-client.ts';
