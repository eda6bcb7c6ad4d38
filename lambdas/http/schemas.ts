import { z } from 'zod';
import { UpgradeRequestSchema } from '../../shared/upgrade/upgrade-config.ts';

/** Request shapes of the API. Objects are strict: an unknown field is an error that names it. */
export {
  DrainForceBody,
  DrainResumeBody,
  DrainStartBody,
  EmptyBody,
  InflightQuery,
  intentIdFrom,
  PatchIntentBody,
  RegisterIntentBody,
} from './drain-schemas.ts';

/** The seeds' UpgradeConfig, defined once with its defaults and limits (shared/upgrade/upgrade-config.ts). */
export const UpgradeStartBody = UpgradeRequestSchema;

export const ListQuery = z.strictObject({
  limit: z
    .string()
    .regex(/^[0-9]{1,3}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(200))
    .optional(),
});

export const CheckpointQuery = z.strictObject({ validate: z.enum(['true', 'false']).optional() });

/** A path parameter that names an upgrade or a checkpoint. */
export const resourceIdFrom = (path: Record<string, string>): string => {
  const id = path.id ?? '';
  return /^[A-Za-z0-9._-]{1,100}$/.test(id) ? id : '';
};

/** A schedule runs an upgrade config, or (with approvals on) an approved proposal named by its id. */
export const ScheduleCreateBody = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9_-]{1,48}$/, 'must be 1-48 letters, digits, _ or -'),
    schedule: z.string().min(4).max(256),
    upgrade: UpgradeStartBody.optional(),
    proposal_id: z
      .string()
      .regex(/^prop-[0-9T]{15}-[0-9a-f]{6}$/, 'must be a proposal id (prop-...)')
      .optional(),
  })
  .refine((b) => (b.upgrade === undefined) !== (b.proposal_id === undefined), {
    message: 'give either upgrade (a config) or proposal_id (an approved proposal), not both',
  });

export const ConfirmMigrationBody = z.strictObject({
  tx_hash: z
    .string()
    .regex(/^[0-9A-Fa-f]{64}$/, 'must be the 64 hex digits of the migration transaction hash'),
});
