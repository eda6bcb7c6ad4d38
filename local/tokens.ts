import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Tokens {
  readonly admin: string;
  readonly intent: string;
}

/**
 * The local API's bearer tokens: ADMIN_TOKEN / INTENT_TOKEN when set, else the ones saved in the data folder,
 * else new random ones (then saved, readable only by the owner, so a restart keeps them).
 */
export function resolveTokens(dataDir: string, env: NodeJS.ProcessEnv = process.env): Tokens {
  const file = join(dataDir, 'tokens.json');
  const saved: Partial<Tokens> = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Tokens>)
    : {};
  const tokens: Tokens = {
    admin: env.ADMIN_TOKEN || saved.admin || `adm_${randomBytes(18).toString('base64url')}`,
    intent: env.INTENT_TOKEN || saved.intent || `int_${randomBytes(18).toString('base64url')}`,
  };
  if (tokens.admin === tokens.intent) throw new Error('ADMIN_TOKEN and INTENT_TOKEN must differ');
  writeFileSync(file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600 });
  return tokens;
}

const OPERATOR_NAME = /^[a-z][a-z0-9._-]{0,31}$/;

/**
 * Operators' own tokens, for approvals (each is an identity; the shared admin token is not): kept in the data
 * folder's operators.json (owner-only), and OPERATORS=alice,bob adds the names missing there with new tokens.
 */
export function resolveOperators(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const file = join(dataDir, 'operators.json');
  const saved = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
  const wanted = (env.OPERATORS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of wanted) {
    if (!OPERATOR_NAME.test(name))
      throw new Error(
        `OPERATORS: "${name}" is not a valid operator name (lower-case letters, digits, . _ -)`,
      );
    saved[name] ??= `op_${randomBytes(18).toString('base64url')}`;
  }
  if (Object.keys(saved).length) writeFileSync(file, `${JSON.stringify(saved, null, 2)}\n`, { mode: 0o600 });
  return saved;
}
