import { z } from 'zod';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { MAX_PHASE_SECS } from '../../shared/protocol/rollout.ts';
import { freeText } from '../../shared/upgrade/free-text-schema.ts';

const VERSION = z
  .string()
  .regex(/^[0-9A-Za-z.+-]{1,64}$/, 'must look like 2.0.0 (letters, digits, . + -, up to 64)');
const phaseSecs = (phase: string) =>
  z
    .number()
    .int(`must be a whole number of seconds the ${phase} phase lasts`)
    .min(1)
    .max(MAX_PHASE_SECS, `at most ${MAX_PHASE_SECS} (90 days)`);

/** POST /admin/protocol/rollouts: seed 001's Procedure 3, from the running version to one the migrations reach. */
export const RolloutStartBody = z.strictObject({
  from: VERSION,
  to: VERSION,
  parallel_secs: phaseSecs('parallel'),
  deprecation_secs: phaseSecs('deprecation'),
  reason: freeText(500),
});

export const RolloutHoldBody = z.strictObject({ reason: freeText(500) });
export const RolloutRollbackBody = z.strictObject({ reason: freeText(500) });

/** The path parameter that names a rollout (pr-<UTC time>-<hex>); anything else is a 404 saying what ids look like. */
export const rolloutIdFrom = (path: Record<string, string>): string => {
  const id = path.id ?? '';
  if (/^pr-[0-9T]{15}-[0-9a-f]{6}$/.test(id)) return id;
  throw new NotFoundError('no such protocol rollout: ids look like pr-20261204T053000-ab12cd');
};
