import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level: the same config always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The SHA-256 (hex) of a config's canonical JSON: what approvers approve and the workflow checks. */
export const configSha256 = (config: unknown): string =>
  createHash('sha256').update(canonicalJson(config)).digest('hex');
