/**
 * Typed domain errors. Each carries a stable machine-readable `code` and the HTTP status the API maps it to,
 * so one place (lambdas/http/error-mapping.ts) turns any of them into `{error, message}`.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is malformed or names values the system does not accept. */
export class ValidationError extends DomainError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_request', 400, message, details);
  }
}

/** The named resource does not exist. */
export class NotFoundError extends DomainError {
  constructor(message: string) {
    super('not_found', 404, message);
  }
}

/** The request conflicts with current state (duplicate id, illegal move, lost race). */
export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 409, message, details);
  }
}

/** The drain-mode state machine refuses this move from the current mode. */
export class IllegalTransitionError extends ConflictError {
  constructor(
    readonly from: string,
    readonly action: string,
    hint: string,
  ) {
    super('illegal_transition', `cannot ${action} while mode is ${from}: ${hint}`, { mode: from, action });
  }
}

/** Intents are not being admitted (drain or upgrade under way). Mapped to 503 with Retry-After. */
export class NotAdmittingError extends DomainError {
  constructor(
    readonly mode: string,
    readonly retryAfterSecs: number,
    message: string,
  ) {
    super('not_admitting', 503, message, { mode, retry_after_secs: retryAfterSecs });
  }
}

/** The mode record and fence gates do not exist yet: no write happens on a cold start, so an operator creates them. */
export class NotInitialisedError extends DomainError {
  constructor() {
    super(
      'not_initialised',
      503,
      'the control plane is not initialised yet (no drain mode record or fence gates): an operator creates them ' +
        'with any admin drain call, for example GET /admin/drain/status with the admin credential; then retry',
      { retry_after_secs: 30 },
    );
  }
}

/** An intent is frozen by a running upgrade (between its checkpoint and its resume): writes wait. 503 + Retry-After. */
export class IntentFrozenError extends DomainError {
  constructor(
    readonly retryAfterSecs: number,
    id: string,
    upgradeId: string,
  ) {
    super(
      'upgrade_in_progress',
      503,
      `intent ${id} is frozen by upgrade ${upgradeId} until it resumes (so a rollback can never undo this write); retry after the Retry-After interval`,
      { upgrade_id: upgradeId, retry_after_secs: retryAfterSecs },
    );
  }
}

/** The caller is known but may not do this (not an approver, approving their own proposal, approval required). */
export class ForbiddenError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 403, message, details);
  }
}
