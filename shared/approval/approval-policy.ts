/**
 * Who must approve an upgrade before it runs, and how long it then waits: read from the environment (per
 * environment: the CDK app sets it on AWS, `npm start` locally). No approvers means no policy: upgrades start
 * directly, as before.
 */
export interface ApprovalPolicy {
  /** Approver identities or patterns (`*` matches any run of characters): IAM principal ARNs on AWS, operator names locally. */
  readonly approvers: readonly string[];
  /** N: distinct approvals needed. */
  readonly threshold: number;
  /** Seconds between reaching N and the earliest execution. */
  readonly timelockSecs: number;
  /** Seconds after its proposal an unexecuted proposal expires. */
  readonly expirySecs: number;
  /** May the proposer approve their own proposal (default no). */
  readonly selfApproval: boolean;
  /** Approvals carrying `waive_timelock` needed to waive the timelock: all approvers who may approve. */
  readonly waiverCount: number | null;
}

export class ApprovalPolicyError extends Error {}

const DAY = 86_400;

const int = (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ApprovalPolicyError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  return n;
};

/** APPROVERS, APPROVAL_THRESHOLD, APPROVAL_TIMELOCK_SECS, PROPOSAL_EXPIRY_SECS, APPROVAL_SELF_APPROVAL, APPROVAL_WAIVER_COUNT. */
export function approvalPolicyFrom(env: NodeJS.ProcessEnv): ApprovalPolicy | null {
  const approvers = (env.APPROVERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (approvers.length === 0) return null;
  if (new Set(approvers).size !== approvers.length)
    throw new ApprovalPolicyError('APPROVERS lists an approver twice');
  const threshold = int(env, 'APPROVAL_THRESHOLD', Math.min(2, approvers.length), 1, 100);
  const patterns = approvers.some((a) => a.includes('*'));
  if (!patterns && threshold > approvers.length)
    throw new ApprovalPolicyError(
      `APPROVAL_THRESHOLD (${threshold}) is more than the ${approvers.length} APPROVERS: no proposal could pass`,
    );
  const timelockSecs = int(env, 'APPROVAL_TIMELOCK_SECS', 2 * DAY, 0, 30 * DAY);
  const expirySecs = int(env, 'PROPOSAL_EXPIRY_SECS', 30 * DAY, 60, 90 * DAY);
  if (expirySecs <= timelockSecs)
    throw new ApprovalPolicyError(
      `PROPOSAL_EXPIRY_SECS (${expirySecs}) must be longer than APPROVAL_TIMELOCK_SECS (${timelockSecs})`,
    );
  const self = env.APPROVAL_SELF_APPROVAL ?? 'false';
  if (self !== 'true' && self !== 'false')
    throw new ApprovalPolicyError(`APPROVAL_SELF_APPROVAL must be true or false, got "${self}"`);
  const waiver = env.APPROVAL_WAIVER_COUNT ? int(env, 'APPROVAL_WAIVER_COUNT', 0, 1, 100) : null;
  if (patterns && waiver === null)
    throw new ApprovalPolicyError(
      'APPROVERS has patterns, so "all approvers" is not a number: set APPROVAL_WAIVER_COUNT (approvals needed to waive the timelock)',
    );
  if (waiver !== null && waiver < threshold)
    throw new ApprovalPolicyError('APPROVAL_WAIVER_COUNT must be at least APPROVAL_THRESHOLD');
  return {
    approvers,
    threshold,
    timelockSecs,
    expirySecs,
    selfApproval: self === 'true',
    waiverCount: waiver,
  };
}

const glob = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
      .join('.*')}$`,
  );

/** Is this identity one of the policy's approvers. */
export function isApprover(policy: ApprovalPolicy, identity: string): boolean {
  return policy.approvers.some((a) => (a.includes('*') ? glob(a).test(identity) : a === identity));
}

/**
 * How many approvals with `waive_timelock` waive the timelock: every approver who may approve this proposal (the
 * proposer is not one when self-approval is off), or APPROVAL_WAIVER_COUNT when approvers are patterns.
 */
export function waiverNeeded(policy: ApprovalPolicy, proposer: string): number {
  if (policy.waiverCount !== null) return policy.waiverCount;
  const proposerExcluded = !policy.selfApproval && policy.approvers.includes(proposer);
  return Math.max(policy.threshold, policy.approvers.length - (proposerExcluded ? 1 : 0));
}
