import * as z from 'zod';
import * as drainSchemas from '../../lambdas/http/drain-schemas.ts';
import * as proposalSchemas from '../../lambdas/http/proposal-schemas.ts';
import * as protocolSchemas from '../../lambdas/http/protocol-schemas.ts';
import * as schemas from '../../lambdas/http/schemas.ts';
import { commonErrors, ROUTES, type Route } from '../../lambdas/routes.ts';

/** Every request schema the API table may name, by its exported name. */
export const SCHEMAS: Record<string, unknown> = {
  ...schemas,
  ...drainSchemas,
  ...proposalSchemas,
  ...protocolSchemas,
};

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  items?: JsonSchema;
};

const typeOf = (s: JsonSchema): string => {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s.anyOf) return s.anyOf.map(typeOf).join(' \\| ');
  if (s.type === 'array') return `${s.items ? typeOf(s.items) : 'any'}[]`;
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'object');
};

/** A schema's top-level fields as markdown rows: name, type, required. */
function fields(name: string): string[] {
  const schema = SCHEMAS[name];
  if (!schema) throw new Error(`lambdas/routes.ts names the schema ${name}, which no schema file exports`);
  const json = z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const props = Object.entries(json.properties ?? {});
  if (props.length === 0) return ['  (no fields)'];
  return props.map(
    ([key, p]) => `  - \`${key}\` ${typeOf(p)}${json.required?.includes(key) ? ' (required)' : ''}`,
  );
}

const access = (r: Route): string =>
  Object.entries(r.aws)
    .map(([k, v]) => (v === true ? k : `${k}: ${String(v)}`))
    .join(', ');

function section(r: Route): string[] {
  const out = [`### ${r.method} ${r.resource}`, '', r.summary, ''];
  out.push(
    `- Caller: ${r.access}${r.initialises ? ' (creates the mode record and fence gates when missing)' : ''}`,
  );
  out.push(`- Handler: \`lambdas/${r.handler}.ts\``);
  if (r.input?.body)
    out.push(
      `- Body: \`${r.input.body}\`${r.input.bodyOptional ? ' (may be empty)' : ''}`,
      ...fields(r.input.body),
    );
  else out.push('- Body: none');
  if (r.input?.query) out.push(`- Query: \`${r.input.query}\``, ...fields(r.input.query));
  out.push(`- AWS access: ${access(r)}`);
  out.push(`- Errors: ${[...(r.errors ?? []), ...commonErrors(r)].map((c) => `\`${c}\``).join(', ')}`);
  return [...out, ''];
}

/** docs/api.md, generated from the API table (lambdas/routes.ts) and the request schemas it names. */
export function renderApiDoc(): string {
  const index = ROUTES.map((r) => `| ${r.method} | \`${r.resource}\` | ${r.access} | ${r.summary} |`);
  return [
    '# API',
    '',
    '<!-- Generated from lambdas/routes.ts by `npm run docs:api`; test/api-doc.test.ts holds it equal. Do not edit. -->',
    '',
    'Every route but `GET /health` needs a credential: a SigV4-signed request on AWS (the admin or intent role), a',
    'bearer token locally. Errors are JSON `{error, message}`; the codes below are the `error` values a route answers.',
    '',
    'The `intent` routes are also served, more cheaply, by their Lambda function URLs (AWS_IAM, payload 2.0; the',
    "stack outputs `IntentRegisterUrl`, `IntentUpdateUrl`, `IntentCompleteUrl`): each URL takes its own route's path",
    'and method, with the same bodies and answers ([deploy-aws.md](deploy-aws.md)); locally on the next port (8081).',
    '',
    '| Method | Path | Caller | What it does |',
    '| --- | --- | --- | --- |',
    ...index,
    '',
    '## Routes',
    '',
    ...ROUTES.flatMap(section),
  ].join('\n');
}
