/**
 * Typed domain errors. Each carries a stable machine-readable `code`, a `kind` (what sort of refusal it is) and
 * details; none names an HTTP status or an API route. The HTTP edge (lambdas/http/error-mapping.ts) maps the
 * kind to a status and the code to a hint on what to do next.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/**
 * What sort of refusal an error is: invalid input, a missing resource, a clash with the current state, a caller
 * who may not, a system not serving now (with `retry_after_secs` in the details), a feature this environment
 * lacks, or a caller on a protocol version no longer admitted.
 */
export type ErrorKind =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'forbidden'
  | 'unavailable'
  | 'unsupported'
  | 'outdated';

/** The request is malformed or names values the system does not accept. */
export class ValidationError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_request', 'invalid', message, details);
  }
}

/** The named resource does not exist. */
export class NotFoundError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('not_found', 'not_found', message, details);
  }
}

/** The request conflicts with current state (duplicate id, illegal move, lost race). */
export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 'conflict', message, details);
  }
}

/** The drain-mode state machine refuses this move from the current mode. */
export class IllegalTransitionError extends ConflictError {
  constructor(
    readonly from: string,
    readonly action: string,
    reason: string,
  ) {
    super('illegal_transition', `cannot ${action} while mode is ${from}: ${reason}`, { mode: from, action });
  }
}

/** Intents are not being admitted (drain or upgrade under way): retry after `retryAfterSecs`. */
export class NotAdmittingError extends DomainError {
  constructor(
    readonly mode: string,
    readonly retryAfterSecs: number,
    message: string,
  ) {
    super('not_admitting', 'unavailable', message, { mode, retry_after_secs: retryAfterSecs });
  }
}

/** The mode record and fence gates do not exist yet: no write happens on a cold start, so an operator creates them. */
export class NotInitialisedError extends DomainError {
  constructor() {
    super(
      'not_initialised',
      'unavailable',
      'the control plane is not initialised yet (no drain mode record or fence gates)',
      { retry_after_secs: 30 },
    );
  }
}

/** An intent is frozen by a running upgrade (between its checkpoint and its resume): writes wait, then retry. */
export class IntentFrozenError extends DomainError {
  constructor(
    readonly retryAfterSecs: number,
    id: string,
    upgradeId: string,
  ) {
    super(
      'upgrade_in_progress',
      'unavailable',
      `intent ${id} is frozen by upgrade ${upgradeId} until it resumes (so a rollback can never undo this write); retry after the Retry-After interval`,
      { upgrade_id: upgradeId, retry_after_secs: retryAfterSecs },
    );
  }
}

/** The caller is known but may not do this (not an approver, approving their own proposal, approval required). */
export class ForbiddenError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 'forbidden', message, details);
  }
}

/** This environment lacks what the request needs (for example EventBridge Scheduler, locally). */
export class UnsupportedError extends DomainError {
  constructor(code: string, message: string) {
    super(code, 'unsupported', message);
  }
}

/** The caller speaks a protocol version the system no longer admits: it must upgrade (the accepted ones in details). */
export class UpgradeRequiredError extends DomainError {
  constructor(message: string, acceptedVersions: readonly string[], sunsetAt: string | null = null) {
    super('upgrade_required', 'outdated', message, {
      accepted_versions: acceptedVersions,
      ...(sunsetAt ? { sunset_at: sunsetAt } : {}),
    });
  }
}

/** A protocol version the system does not know (the accepted ones in details). */
export class UnknownVersionError extends DomainError {
  constructor(message: string, acceptedVersions: readonly string[]) {
    super('unknown_version', 'invalid', message, { accepted_versions: acceptedVersions });
  }
}
