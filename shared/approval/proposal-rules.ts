import { SHARED_ADMIN_PRINCIPAL } from '../domain/audited.ts';
import { ConflictError, ForbiddenError } from '../domain/errors.ts';
import type { ApprovalPolicy } from './approval-policy.ts';
import { isApprover } from './approval-policy.ts';
import { type Proposal, presentProposal, proposalState } from './proposal.ts';

/** The policy, or a 409 saying there is none (proposals need one). */
export function requirePolicy(policy: ApprovalPolicy | null): ApprovalPolicy {
  if (policy) return policy;
  throw new ConflictError('approvals_off', 'no approval policy is configured (APPROVERS is empty)');
}

/** The caller's identity for approvals, or a 403 saying which credential to use. */
export function identityOf(caller: { principal?: string }): string {
  if (caller.principal && caller.principal !== SHARED_ADMIN_PRINCIPAL) return caller.principal;
  throw new ForbiddenError(
    'personal_identity_required',
    'approvals need a personal identity: locally an operator token of your own (OPERATORS=name npm start), on AWS an IAM-signed request; the shared admin token and X-Operator do not count',
  );
}

export function requireApprover(policy: ApprovalPolicy, who: string): void {
  if (!isApprover(policy, who))
    throw new ForbiddenError(
      'not_an_approver',
      `${who} is not an approver (APPROVERS: ${policy.approvers.join(', ')}); ask one of them`,
    );
}

/** A 409 unless the proposal is still open (pending, timelocked or executable). */
export function requireOpen(p: Proposal, now: number, doing: string): void {
  const state = proposalState(p, now);
  if (state === 'pending' || state === 'timelocked' || state === 'executable') return;
  const why: Record<string, string> = {
    executed: `it was executed as upgrade ${p.executed?.upgrade_id}`,
    rejected: `it was rejected by ${p.rejected?.by}: ${p.rejected?.reason}`,
    cancelled: `it was cancelled by ${p.cancelled?.by}`,
    expired: `it expired at ${new Date(p.expires_at).toISOString()}`,
  };
  throw new ConflictError(`proposal_${state}`, `cannot ${doing} proposal ${p.id}: ${why[state]}`, { state });
}

/** A 409 unless the proposal may execute now, saying what it waits for. */
export function requireExecutable(p: Proposal, now: number): void {
  requireOpen(p, now, 'execute');
  const view = presentProposal(p, now);
  if (view.state === 'pending')
    throw new ConflictError(
      'not_approved',
      `proposal ${p.id} has ${p.approvals.length} of the ${p.required} approvals it needs`,
      { state: view.state, approvals: p.approvals.length, required: p.required },
    );
  if (view.state === 'timelocked')
    throw new ConflictError(
      'timelock_active',
      `proposal ${p.id} is timelocked for ${view.seconds_remaining} s more: it may execute at ${view.timelock_until}`,
      {
        state: view.state,
        seconds_remaining: view.seconds_remaining,
        executable_at: view.timelock_until,
      },
    );
}
