import type { DomainError, ErrorKind } from '../../shared/domain/errors.ts';
import { HttpError } from './http-errors.ts';

/** The status each kind of domain refusal answers with. */
const KIND_STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unsupported: 501,
  unavailable: 503,
  outdated: 426,
};

/** The HTTP status a domain or HTTP error answers with. */
export const statusOf = (err: DomainError): number =>
  err instanceof HttpError ? err.status : KIND_STATUS[err.kind];

type Details = Readonly<Record<string, unknown>>;
type Hint = string | ((details: Details) => string | undefined);

const RESUME = 'POST /admin/drain/resume';

/** For an illegal drain-mode move: the action (as the message names it), then the mode it was refused in. */
const TRANSITION_HINTS: Record<string, Record<string, string>> = {
  'start drain': {
    Draining: 'watch GET /admin/drain/status or cancel it first (POST /admin/drain/cancel)',
    Resuming: `retry ${RESUME} to finish it first`,
  },
  cancel: { Upgrading: `${RESUME} resumes it`, Resuming: `retry ${RESUME} to finish it` },
  force: { Active: 'start one with POST /admin/drain/start' },
  'begin resume': { Draining: 'use POST /admin/drain/cancel to stop it' },
};

const PROPOSE_AGAIN = 'propose again with POST /admin/proposals';

/**
 * What an operator does next, per error code, in terms of this API: the domain names no routes, so the edge
 * adds them. A code without an entry has no hint.
 */
const HINTS: Readonly<Record<string, Hint>> = {
  illegal_transition: (d) => TRANSITION_HINTS[String(d.action)]?.[String(d.mode)],
  not_initialised:
    'an operator creates them with any admin drain call, for example GET /admin/drain/status with the admin credential; then retry',
  concurrent_change: 'read GET /admin/drain/status and decide again',
  upgrade_owns_mode: (d) =>
    d.upgrade_id
      ? `follow it with GET /admin/upgrade/status; stop it with POST /admin/upgrade/abort (or POST /admin/drain/cancel during its drain); while it waits for you, POST /admin/drain/resume (or /admin/upgrade/${String(d.upgrade_id)}/continue) goes on`
      : 'follow GET /admin/upgrade/status and decide again once it has ended',
  upgrade_running: 'follow GET /admin/upgrade/status, or abort it first (POST /admin/upgrade/abort)',
  approval_required:
    'propose it with POST /admin/proposals {upgrade, description}, get it approved, then POST /admin/proposals/{id}/execute (a dry run needs none)',
  not_found: (d) =>
    d.resource === 'upgrade_history'
      ? 'start one with POST /admin/upgrade/start'
      : d.resource === 'proposal'
        ? 'list them with GET /admin/proposals'
        : undefined,
  not_waiting: 'follow GET /admin/upgrade/status',
  approvals_off: 'start upgrades directly with POST /admin/upgrade/start',
  config_changed: (d) => `review GET /admin/proposals/${String(d.proposal_id)} again`,
  proposal_executed: (d) =>
    d.upgrade_id ? `follow GET /admin/upgrades/${String(d.upgrade_id)}` : PROPOSE_AGAIN,
  proposal_rejected: PROPOSE_AGAIN,
  proposal_cancelled: PROPOSE_AGAIN,
  proposal_expired: PROPOSE_AGAIN,
};

/** The hint for an error, if its code has one. */
export function hintFor(err: DomainError): string | undefined {
  const hint = HINTS[err.code];
  return typeof hint === 'function' ? hint(err.details ?? {}) : hint;
}
