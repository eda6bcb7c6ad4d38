import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './cli-errors.ts';

/** Where the CLI sends requests, and how it proves who it is. */
export type Connection =
  | { readonly kind: 'token'; readonly url: string; readonly token: string; readonly source: string }
  | { readonly kind: 'sigv4'; readonly url: string; readonly region: string; readonly profile?: string };

export interface ConnectionOptions {
  readonly url?: string;
  readonly token?: string;
  /** Use this operator's own token from the local data folder (approvals need a personal identity). */
  readonly operator?: string;
  readonly profile?: string;
  readonly region?: string;
  readonly dataDir?: string;
  /** Sign with SigV4 whatever the URL (an https API is signed by default when no token is given). */
  readonly sigv4?: boolean;
}

/** The local stack's data folder: --data-dir, DATA_DIR, or the project's own `.data` (where `npm start` keeps it). */
export const localDataDir = (opts: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): string =>
  resolve(opts.dataDir ?? env.DATA_DIR ?? resolve(import.meta.dirname, '../.data'));

const readJson = (file: string): Record<string, unknown> | null =>
  existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : null;

/** `https://<api>.execute-api.<region>.amazonaws.com/...`: the region in the host. */
const regionOfUrl = (url: string): string | null =>
  /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com/.exec(new URL(url).host)?.[1] ?? null;

/**
 * Finds the control plane: flags first, then UCP_URL / UCP_TOKEN, then the running local stack (its data folder
 * says where it listens and holds the tokens). An https URL with no token is AWS: requests are signed with SigV4
 * from the default credential chain (--profile, --region).
 */
export function resolveConnection(opts: ConnectionOptions, env: NodeJS.ProcessEnv = process.env): Connection {
  const dir = localDataDir(opts, env);
  const local = readJson(join(dir, 'endpoint.json'));
  const url = (opts.url ?? env.UCP_URL ?? (local?.url as string | undefined))?.replace(/\/+$/, '');
  if (!url)
    throw new UsageError(
      `no control plane found: start one with \`npm start\` (it writes ${join(dir, 'endpoint.json')}), or give --url (UCP_URL)`,
    );
  if (opts.operator) {
    const operators = readJson(join(dir, 'operators.json')) ?? {};
    const token = operators[opts.operator];
    if (typeof token !== 'string')
      throw new UsageError(
        `no operator ${opts.operator} in ${join(dir, 'operators.json')}: start the stack with OPERATORS=${opts.operator} to give them a token`,
      );
    return { kind: 'token', url, token, source: `operator ${opts.operator}` };
  }
  const token = opts.sigv4 ? undefined : (opts.token ?? env.UCP_TOKEN);
  if (token) return { kind: 'token', url, token, source: opts.token ? '--token' : 'UCP_TOKEN' };
  if (opts.sigv4 || url.startsWith('https://')) {
    const region = opts.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? regionOfUrl(url);
    if (!region) throw new UsageError(`cannot tell the AWS region of ${url}: give --region (or AWS_REGION)`);
    return { kind: 'sigv4', url, region, ...(opts.profile ? { profile: opts.profile } : {}) };
  }
  const admin = readJson(join(dir, 'tokens.json'))?.admin;
  if (typeof admin === 'string')
    return { kind: 'token', url, token: admin, source: join(dir, 'tokens.json') };
  throw new UsageError(
    `no token for ${url}: give --token (UCP_TOKEN), or run next to the stack's data folder (--data-dir)`,
  );
}
