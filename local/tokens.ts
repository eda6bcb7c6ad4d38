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
