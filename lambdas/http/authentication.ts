import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Config } from '../../shared/config.ts';
import { forbidden, unauthorized } from './http-errors.ts';

/** Which credential a route needs: operators' (admin), the intent producers' (intent), or none (public). */
export type Access = 'admin' | 'intent' | 'public';

const OPERATOR_PATTERN = /^[A-Za-z0-9._@+-]{1,64}$/;
const digest = (s: string) => createHash('sha256').update(s).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * Establishes who is calling, or throws 401/403. Locally: a bearer token per access level. On AWS: API Gateway
 * has already checked the IAM signature and put the caller's ARN in the request context.
 * An optional `X-Operator` header names the person behind a shared token, for the audit trail.
 */
export function authenticate(event: APIGatewayProxyEvent, access: Access, auth: Config['auth']): string {
  if (access === 'public') return 'anonymous';
  const operator = event.headers?.['x-operator'];
  const suffix = operator && OPERATOR_PATTERN.test(operator) ? ` (${operator})` : '';
  if (auth.mode === 'iam') {
    const arn = event.requestContext?.identity?.userArn;
    if (!arn) throw forbidden('this route needs an IAM-signed request');
    return `${arn}${suffix}`;
  }
  const header = event.headers?.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    throw unauthorized(
      `this route needs "Authorization: Bearer <${access === 'admin' ? 'ADMIN_TOKEN' : 'INTENT_TOKEN'}>"`,
    );
  }
  const token = match[1];
  const wanted = access === 'admin' ? auth.adminToken : auth.intentToken;
  if (same(token, wanted)) return `${access}-token${suffix}`;
  const other = access === 'admin' ? auth.intentToken : auth.adminToken;
  if (same(token, other))
    throw forbidden(
      `this route needs the ${access} token, not the ${access === 'admin' ? 'intent' : 'admin'} token`,
    );
  throw unauthorized('the bearer token is not valid');
}
