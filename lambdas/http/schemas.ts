import { z } from 'zod';
import { MAX_DRAIN_TIMEOUT_SECS } from '../../shared/domain/drain-mode.ts';

/** Request shapes of the API. Objects are strict: an unknown field is an error that names it. */
const flag = z.boolean();

export const DrainStartBody = z.strictObject({
  reason: z.string().min(1).max(500),
  drain_timeout_secs: z.number().int().min(1).max(MAX_DRAIN_TIMEOUT_SECS).optional(),
});

export const DrainResumeBody = z.strictObject({ version: z.string().min(1).max(64).optional() });
export const DrainForceBody = z.strictObject({ acknowledge_locked_funds: flag.optional() });
export const EmptyBody = z.strictObject({});

export const RegisterIntentBody = z.strictObject({
  id: z.string().min(1).max(128),
  phase: z.string().min(1).max(64).optional(),
  user_funds_locked: flag.optional(),
  solver_funds_locked: flag.optional(),
  ibc_in_flight: flag.optional(),
  protocol_version: z.string().min(1).max(64).optional(),
});

export const PatchIntentBody = z.strictObject({
  phase: z.string().min(1).max(64).optional(),
  user_funds_locked: flag.optional(),
  solver_funds_locked: flag.optional(),
  ibc_in_flight: flag.optional(),
});

const boolString = z.enum(['true', 'false']).transform((v) => v === 'true');

export const InflightQuery = z.strictObject({
  phase: z.string().min(1).max(64).optional(),
  locked: boolString.optional(),
  limit: z
    .string()
    .regex(/^[0-9]{1,4}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().int().min(1).max(1000))
    .optional(),
  cursor: z.string().min(1).max(2048).optional(),
});

/** The `{id}` path parameter of the intent routes. */
export const intentIdFrom = (path: Record<string, string>): string => path.id ?? '';
