import { z } from 'zod';
import { refusedUrl } from '../net/outbound-url.ts';

/** A URL the control plane will call: http(s), no credentials, no link-local or metadata (or, on AWS, internal) host. */
export const HttpUrl = z
  .string()
  .max(2048)
  .superRefine((url, ctx) => {
    const why = refusedUrl(url);
    if (why) ctx.addIssue({ code: 'custom', message: why });
  });

const checkName = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be snake_case, up to 40 characters');

/** A health check an upgrade runs before draining (pre), after migrating (post), or while it bakes. */
export const CheckSpecSchema = z.union([
  z.strictObject({ name: checkName, type: z.enum(['dynamodb', 's3']) }),
  z.strictObject({
    name: checkName,
    type: z.literal('http'),
    url: HttpUrl,
    degraded_ok: z.boolean().optional(),
  }),
]);

/** A health check as the workflow runs it. */
export type CheckSpec = z.output<typeof CheckSpecSchema>;
