import { createHash, timingSafeEqual } from 'node:crypto';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { Config } from '../../shared/config.ts';
import { sharedTokenPrincipal } from '../../shared/domain/audited.ts';
import { forbidden, unauthorized } from './http-errors.ts';

/** Which credential a route needs: operators' (admin), the intent producers' (intent), or none (public). */
export type Access = 'admin' | 'intent' | 'public';

/** Who is calling: `actor` for the audit trail, `principal` the authenticated identity (approvals count it). */
export interface Identity {
  readonly actor: string;
  readonly principal: string;
}

const OPERATOR_PATTERN = /^[A-Za-z0-9._@+-]{1,64}$/;
const digest = (s: string) => createHash('sha256').update(s).digest();
const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

/**
 * Establishes who is calling, or throws 401/403. Locally: a bearer token per access level, or an operator's own
 * token (admin access under their name). On AWS: API Gateway has already checked the IAM signature and put the
 * caller's ARN in the request context; the ARN (with its role session name) is the principal.
 * An optional `X-Operator` header names the person behind a shared token, for the audit trail only.
 */
export function authenticate(event: APIGatewayProxyEvent, access: Access, auth: Config['auth']): Identity {
  if (access === 'public') return { actor: 'anonymous', principal: 'anonymous' };
  const operator = event.headers?.['x-operator'];
  const suffix = operator && OPERATOR_PATTERN.test(operator) ? ` (${operator})` : '';
  if (auth.mode === 'iam') {
    const arn = event.requestContext?.identity?.userArn;
    if (!arn) throw forbidden('this route needs an IAM-signed request');
    return { actor: `${arn}${suffix}`, principal: arn };
  }
  const header = event.headers?.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match?.[1]) {
    throw unauthorized(
      `this route needs "Authorization: Bearer <${access === 'admin' ? 'ADMIN_TOKEN or your operator token' : 'INTENT_TOKEN'}>"`,
    );
  }
  const token = match[1];
  if (access === 'admin') {
    for (const [name, own] of Object.entries(auth.operators)) {
      if (same(token, own)) return { actor: `operator:${name}`, principal: name };
    }
  }
  const wanted = access === 'admin' ? auth.adminToken : auth.intentToken;
  if (same(token, wanted))
    return { actor: `${access}-token${suffix}`, principal: sharedTokenPrincipal(access) };
  const other = access === 'admin' ? auth.intentToken : auth.adminToken;
  if (same(token, other))
    throw forbidden(
      `this route needs the ${access} token, not the ${access === 'admin' ? 'intent' : 'admin'} token`,
    );
  throw unauthorized('the bearer token is not valid');
}
