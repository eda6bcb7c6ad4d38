import type { APIGatewayProxyEvent } from 'aws-lambda';
import { badRequest, tooLarge, unsupportedMediaType } from './http-errors.ts';

export const MAX_BODY_BYTES = 16 * 1024;

/** Types a JSON body may arrive under by accident: none (the seeds' curl), and curl's -d default. */
const LENIENT_TYPES = /^(|application\/x-www-form-urlencoded)\s*(;.*)?$/i;
const SEND_JSON = 'send the body as JSON with "Content-Type: application/json"';

/** A schema as zod builds them, classic or mini: what parsing needs of it. */
export interface Schema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: PropertyKey[]; message: string }[] } };
}

/** What a route accepts. A route without a body schema refuses any body; without a query schema, any parameter. */
export interface RequestSpec<B, Q> {
  readonly body?: Schema<B>;
  /** When true, an empty body is read as `{}`. */
  readonly bodyOptional?: boolean;
  readonly query?: Schema<Q>;
}

const describe = (err: { issues: readonly { path: PropertyKey[]; message: string }[] }): string =>
  err.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');

function rawBody(event: APIGatewayProxyEvent): string {
  const body = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body;
  if (Buffer.byteLength(text) > MAX_BODY_BYTES)
    throw tooLarge(`the body must be at most ${MAX_BODY_BYTES} bytes`);
  return text;
}

export function parseBody<B>(event: APIGatewayProxyEvent, spec: RequestSpec<B, unknown>): B {
  const text = rawBody(event);
  if (!spec.body) {
    if (text.trim() !== '') throw badRequest('this route takes no body');
    return undefined as B;
  }
  if (text.trim() === '') {
    if (spec.bodyOptional) return validate(spec.body, {}, 'body');
    throw badRequest('a JSON body is required');
  }
  const type = (event.headers?.['content-type'] ?? '').trim();
  const json = /^application\/json\s*(;|$)/i.test(type);
  // The seeds' own curl sends no Content-Type, and curl's -d sends its form type: such a body is read as JSON
  // when it parses as JSON. A body that really is another type is refused.
  if (!json && !LENIENT_TYPES.test(type)) throw unsupportedMediaType(SEND_JSON);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    if (!json)
      throw unsupportedMediaType(`${SEND_JSON} (the body, sent as "${type || 'no type'}", is not JSON)`);
    throw badRequest(`the body is not valid JSON (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('the body must be a JSON object');
  }
  return validate(spec.body, parsed, 'body');
}

export function parseQuery<Q>(event: APIGatewayProxyEvent, spec: RequestSpec<unknown, Q>): Q {
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [name, values] of Object.entries(multi)) {
    if ((values?.length ?? 0) > 1) throw badRequest(`query parameter ${name} is given more than once`);
  }
  const params = event.queryStringParameters ?? {};
  if (!spec.query) {
    const names = Object.keys(params);
    if (names.length) throw badRequest(`this route takes no query parameters (got ${names.join(', ')})`);
    return undefined as Q;
  }
  return validate(spec.query, params, 'query');
}

function validate<T>(schema: Schema<T>, value: unknown, where: string): T {
  const out = schema.safeParse(value);
  if (!out.success) throw badRequest(`invalid ${where}: ${describe(out.error)}`);
  return out.data;
}
