import * as z from 'zod/mini';
import { MAX_DRAIN_TIMEOUT_SECS } from '../../shared/domain/drain-mode.ts';
import { CLEAN_TEXT_MESSAGE, isCleanText } from '../../shared/domain/free-text.ts';
import { MAX_PACKETS_PER_INTENT } from '../../shared/domain/ibc-packet.ts';
import { OUTCOMES } from '../../shared/domain/outcomes.ts';

/**
 * Request shapes of the drain and intent routes, in zod's mini build (about 16 KB bundled where the classic build is
 * 460 KB): these routes take the most traffic and their bundles stay small. Objects are strict: an unknown field is
 * an error that names it.
 */
const text = (max: number) => z.string().check(z.minLength(1), z.maxLength(max));
const flag = z.optional(z.boolean());

export const DrainStartBody = z.strictObject({
  reason: z.string().check(z.minLength(1), z.maxLength(500), z.refine(isCleanText, CLEAN_TEXT_MESSAGE)),
  drain_timeout_secs: z.optional(z.number().check(z.int(), z.gte(1), z.lte(MAX_DRAIN_TIMEOUT_SECS))),
});

export const DrainResumeBody = z.strictObject({ version: z.optional(text(64)) });
export const DrainForceBody = z.strictObject({ acknowledge_locked_funds: flag });
export const EmptyBody = z.strictObject({});

/** One IBC packet of an intent (shared/domain/ibc-packet.ts). */
const IbcPacketBody = z.strictObject({
  source_port: z.string().check(z.regex(/^[A-Za-z0-9._+#[\]<>-]{2,128}$/, 'must be an IBC port id')),
  source_channel: z.string().check(z.regex(/^channel-[0-9]{1,19}$/, 'must be a channel id like channel-0')),
  sequence: z.number().check(z.int(), z.gte(1), z.lte(Number.MAX_SAFE_INTEGER)),
  destination_chain: z.optional(text(64)),
  timeout_timestamp: z.optional(
    z.string().check(z.regex(/^[0-9]{1,20}$/, 'must be nanoseconds since the epoch, as a decimal string')),
  ),
  timeout_height: z.optional(
    z.strictObject({
      revision_number: z.number().check(z.int(), z.gte(0)),
      revision_height: z.number().check(z.int(), z.gte(1)),
    }),
  ),
});
const packets = z.optional(z.array(IbcPacketBody).check(z.maxLength(MAX_PACKETS_PER_INTENT)));

/** A replica's name as a deploy section gives it. */
const ownerName = z
  .string()
  .check(z.regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be a replica name: 1-64 letters, digits, . _ -'));

export const RegisterIntentBody = z.strictObject({
  id: text(128),
  phase: z.optional(text(64)),
  user_funds_locked: flag,
  solver_funds_locked: flag,
  ibc_in_flight: flag,
  ibc_packets: packets,
  protocol_version: z.optional(text(64)),
  /** The replica that handles it (a rolling release waits for its own intents before redeploying it). */
  owner: z.optional(ownerName),
});

/** Today's bodiless call stays valid: the outcome defaults to settled. */
export const CompleteIntentBody = z.strictObject({ outcome: z.optional(z.enum(OUTCOMES)) });

export const PatchIntentBody = z.strictObject({
  phase: z.optional(text(64)),
  user_funds_locked: flag,
  solver_funds_locked: flag,
  ibc_in_flight: flag,
  ibc_packets: packets,
});

const boolString = z.pipe(
  z.enum(['true', 'false']),
  z.transform((v) => v === 'true'),
);
const limit = z.pipe(
  z.string().check(z.regex(/^[0-9]{1,4}$/, 'must be a whole number')),
  z.pipe(z.transform(Number), z.number().check(z.int(), z.gte(1), z.lte(1000))),
);

export const InflightQuery = z.strictObject({
  phase: z.optional(text(64)),
  owner: z.optional(ownerName),
  locked: z.optional(boolString),
  limit: z.optional(limit),
  cursor: z.optional(text(2048)),
});

/** GET /admin/ibc/pending: paged like /admin/inflight (a page is `limit` intents' packets), by channel. */
export const IbcPendingQuery = z.strictObject({
  channel: z.optional(
    z.string().check(z.regex(/^channel-[0-9]{1,19}$/, 'must be a channel id like channel-0')),
  ),
  limit: z.optional(limit),
  cursor: z.optional(text(2048)),
});

/** GET /admin/recovery/status: paged like /admin/inflight. */
export const RecoveryQuery = z.strictObject({ limit: z.optional(limit), cursor: z.optional(text(2048)) });

/** The `{id}` path parameter of the intent routes. */
export const intentIdFrom = (path: Record<string, string>): string => path.id ?? '';
