import type { UpgradeConfig } from '../upgrade/upgrade-config.ts';

/**
 * pending: fewer than N approvals; timelocked: N reached (approved), waiting out the timelock; executable: may
 * start now; then one of the ends. "Approved" is the moment N is reached: the notice `threshold_reached` says it.
 */
export type ProposalState =
  | 'pending'
  | 'timelocked'
  | 'executable'
  | 'executed'
  | 'rejected'
  | 'cancelled'
  | 'expired';

export interface Approval {
  readonly by: string;
  readonly at: number;
  readonly waive_timelock: boolean;
}

/**
 * A proposed upgrade as stored: the exact config (after defaults) and its hash, the policy's numbers as they were
 * when it was proposed, and every decision with who and when. Its state is derived from these and the clock.
 */
export interface Proposal {
  readonly id: string;
  readonly description: string;
  readonly config: UpgradeConfig;
  readonly config_sha256: string;
  readonly proposed_by: string;
  readonly proposed_at: number;
  readonly required: number;
  readonly waiver_required: number;
  readonly timelock_secs: number;
  readonly expires_at: number;
  readonly approvals: readonly Approval[];
  /** When the N-th approval arrived: the timelock runs from here. */
  readonly threshold_reached_at: number | null;
  readonly timelock_waived: boolean;
  readonly rejected: { readonly by: string; readonly at: number; readonly reason: string } | null;
  readonly cancelled: { readonly by: string; readonly at: number; readonly reason: string | null } | null;
  /** Set before the upgrade starts, under the upgrade's id: a proposal executes once. */
  readonly executed: { readonly by: string; readonly at: number; readonly upgrade_id: string } | null;
  /** Notices already sent for events no request causes (timelock ended, expired): each is sent once. */
  readonly notified: readonly string[];
  /** Bumped by every write; a write names the version it read (optimistic concurrency). */
  readonly version: number;
}

/** When the timelock ends (null: the threshold is not reached yet). */
export function timelockUntil(p: Proposal): number | null {
  if (p.threshold_reached_at === null) return null;
  return p.timelock_waived ? p.threshold_reached_at : p.threshold_reached_at + p.timelock_secs * 1000;
}

/** The proposal's state at `now`, from its stored times and decisions alone. */
export function proposalState(p: Proposal, now: number): ProposalState {
  if (p.executed) return 'executed';
  if (p.rejected) return 'rejected';
  if (p.cancelled) return 'cancelled';
  if (now >= p.expires_at) return 'expired';
  const until = timelockUntil(p);
  if (until === null) return 'pending';
  return now >= until ? 'executable' : 'timelocked';
}

/** What GET answers: the record plus its state and times, readable. */
export function presentProposal(p: Proposal, now: number) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  const state = proposalState(p, now);
  const until = timelockUntil(p);
  const open = state === 'pending' || state === 'timelocked' || state === 'executable';
  return {
    id: p.id,
    state,
    description: p.description,
    target_version: p.config.target_version,
    config: p.config,
    config_sha256: p.config_sha256,
    proposed_by: p.proposed_by,
    proposed_at: iso(p.proposed_at),
    required: p.required,
    approvals: p.approvals.map((a) => ({ by: a.by, at: iso(a.at), waive_timelock: a.waive_timelock })),
    threshold_reached_at: iso(p.threshold_reached_at),
    timelock_secs: p.timelock_secs,
    timelock_waived: p.timelock_waived,
    waiver: {
      requested_by: p.approvals.filter((a) => a.waive_timelock).map((a) => a.by),
      required: p.waiver_required,
    },
    timelock_until: iso(until),
    executable_at: open ? iso(until) : null,
    seconds_remaining:
      state === 'timelocked' && until !== null ? Math.max(0, Math.ceil((until - now) / 1000)) : 0,
    expires_at: iso(p.expires_at),
    rejected: p.rejected ? { ...p.rejected, at: iso(p.rejected.at) } : null,
    cancelled: p.cancelled ? { ...p.cancelled, at: iso(p.cancelled.at) } : null,
    executed: p.executed ? { ...p.executed, at: iso(p.executed.at) } : null,
  };
}

export type ProposalView = ReturnType<typeof presentProposal>;

/** Where proposals are kept (the control table on AWS and locally). */
export interface ProposalStore {
  /** Creates it; false when the id exists. */
  create(p: Proposal): Promise<boolean>;
  get(id: string): Promise<Proposal | null>;
  /** Newest first. */
  list(limit: number): Promise<Proposal[]>;
  /** Writes `next` if the stored version is still `next.version - 1`; false when someone wrote in between. */
  replace(next: Proposal): Promise<boolean>;
}
