import type { Proposal } from './proposal.ts';
import { timelockUntil } from './proposal.ts';

/** What happened to a proposal; each is announced. */
export type ProposalEvent =
  | 'proposed'
  | 'approved'
  | 'threshold_reached'
  | 'timelock_waived'
  | 'timelock_ended'
  | 'executed'
  | 'rejected'
  | 'cancelled'
  | 'expired';

export interface ProposalNotice {
  readonly event: ProposalEvent;
  readonly proposal_id: string;
  readonly subject: string;
  /** The announcement: what changes, when it executes, how to object. */
  readonly message: string;
  readonly target_version: string;
  readonly executes_at: string | null;
  readonly by: string | null;
}

import type { Notifier } from '../domain/announcement.ts';

export type { Notifier };

const HEADLINES: Record<ProposalEvent, string> = {
  proposed: 'proposed, waiting for approvals',
  approved: 'approved by one more approver',
  threshold_reached: 'approved: the timelock has started',
  timelock_waived: 'emergency: every approver waived the timelock',
  timelock_ended: 'timelock ended: it may execute now',
  executed: 'executing now',
  rejected: 'rejected (vetoed)',
  cancelled: 'cancelled',
  expired: 'expired without executing',
};

/** The seeds' announcement for one event of one proposal. */
export function proposalNotice(event: ProposalEvent, p: Proposal, by: string | null): ProposalNotice {
  const c = p.config;
  const until = timelockUntil(p);
  const when = until === null ? null : new Date(until).toISOString();
  const changes = [
    `- target version ${c.target_version}`,
    ...c.contracts.map((x) => `- contract ${x.name} (${x.address}) migrates to code ${x.new_code_id}`),
    c.migrations?.length
      ? `- data migrations: ${c.migrations.join(', ')}`
      : '- data migrations: the registered path',
    ...c.services.map((x) => `- service ${x.name} deploys (${x.deploy.mode})`),
  ].filter(Boolean);
  const lines = [
    `Upgrade proposal ${p.id}: ${HEADLINES[event]}${by ? ` (${by})` : ''}.`,
    '',
    `What changes: ${p.description}`,
    ...changes,
    `Reason: ${c.reason}`,
    '',
    `Approvals: ${p.approvals.length} of ${p.required} (config sha256 ${p.config_sha256})`,
    when
      ? `Executes: not before ${when}${p.timelock_waived ? ' (timelock waived)' : ''}`
      : `Executes: after ${p.required} approvals and a ${p.timelock_secs} s timelock`,
    `Expires unexecuted: ${new Date(p.expires_at).toISOString()}`,
    '',
    `To object: POST /admin/proposals/${p.id}/reject {"reason": "..."} (any approver); details: GET /admin/proposals/${p.id}`,
    'Expected downtime: none: new intents wait (503 + Retry-After) while inflight ones finish.',
  ];
  return {
    event,
    proposal_id: p.id,
    subject: `Upgrade ${c.target_version ?? '(maintenance)'}: ${HEADLINES[event]}`.slice(0, 99),
    message: lines.join('\n'),
    target_version: c.target_version ?? 'maintenance',
    executes_at: when,
    by,
  };
}

/** Sends one announcement; a lost one is logged by the notifier, and the decision it announces stands. */
export async function announce(
  notifier: Notifier,
  event: ProposalEvent,
  p: Proposal,
  by: string | null,
): Promise<void> {
  await notifier.notify(proposalNotice(event, p, by)).catch(() => {});
}
