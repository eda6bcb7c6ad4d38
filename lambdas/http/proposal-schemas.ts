import { z } from 'zod';
import { freeText } from '../../shared/upgrade/free-text-schema.ts';
import { ListQuery, UpgradeStartBody } from './schemas.ts';

const PROPOSAL_STATES = [
  'pending',
  'timelocked',
  'executable',
  'executed',
  'rejected',
  'cancelled',
  'expired',
] as const;

/** POST /admin/proposals: the upgrade exactly as it will run, and what it is for (the announcement says it). */
export const ProposalCreateBody = z.strictObject({
  upgrade: UpgradeStartBody,
  description: freeText(2000),
});

/** POST /admin/proposals/{id}/approve: the hash the approver reviewed; `waive_timelock` asks for the emergency waiver. */
export const ProposalApproveBody = z.strictObject({
  config_sha256: z
    .string()
    .regex(
      /^[0-9a-f]{64}$/,
      'must be the 64 lower-case hex digits of config_sha256 from GET /admin/proposals/{id}',
    ),
  waive_timelock: z.boolean().optional(),
});

export const ProposalRejectBody = z.strictObject({ reason: freeText(500) });

export const ProposalCancelBody = z.strictObject({ reason: freeText(500).optional() });

export const ProposalListQuery = ListQuery.extend({ state: z.enum(PROPOSAL_STATES).optional() });

/** A path parameter that names a proposal: prop-<UTC time>-<hex>. */
export const proposalIdFrom = (path: Record<string, string>): string => {
  const id = path.id ?? '';
  return /^prop-[0-9T]{15}-[0-9a-f]{6}$/.test(id) ? id : '';
};
