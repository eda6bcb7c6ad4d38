import { DomainError } from './errors.ts';
import type { AuditLog, Clock } from './ports.ts';

/** Who is calling, as the API's auth layer established it. */
export interface Caller {
  /** Who, for the audit trail (may carry the X-Operator name behind a shared token). */
  readonly actor: string;
  readonly correlationId: string | null;
  /** The upgrade this caller acts for: set by the workflow's steps only (stepCaller), never from a request. */
  readonly upgradeId?: string;
  /**
   * The authenticated identity, for approvals: an IAM principal ARN on AWS, an operator's name locally (their own
   * token), `admin-token` for the shared admin token. Never the X-Operator header. Absent for internal callers.
   */
  readonly principal?: string;
}

/** The principal of a shared bearer token (`admin-token`, `intent-token`): a role, not a person. */
export const sharedTokenPrincipal = (access: 'admin' | 'intent'): string => `${access}-token`;
/** The shared admin token's principal: it may propose and execute, never approve, and no operator may take its name. */
export const SHARED_ADMIN_PRINCIPAL = sharedTokenPrincipal('admin');

/**
 * Runs an admin action and writes its audit record whatever the outcome:
 * succeeded, refused (a domain error the caller can fix) or failed (anything else). The error is rethrown.
 */
export async function audited<T>(
  audit: AuditLog,
  clock: Clock,
  caller: Caller,
  action: string,
  params: Record<string, unknown>,
  run: () => Promise<T>,
  describe: (result: T) => string,
): Promise<T> {
  const entry = { at: clock.now(), actor: caller.actor, action, params, correlationId: caller.correlationId };
  try {
    const result = await run();
    await audit.record({ ...entry, outcome: 'succeeded', message: describe(result) });
    return result;
  } catch (err) {
    const refused = err instanceof DomainError;
    const message = err instanceof Error ? err.message : String(err);
    await audit.record({ ...entry, outcome: refused ? 'refused' : 'failed', message });
    throw err;
  }
}
