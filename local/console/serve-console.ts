import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Config } from '../../shared/config.ts';
import type { CompiledRoute } from '../proxy-event.ts';
import { ASL_FILE } from '../workflow/asl-file.ts';
import { adminReader } from './admin-reads.ts';
import { consoleSnapshot } from './console-snapshot.ts';

/** The page's own files: plain HTML, CSS and JS in the repository's console/ folder, no build step. */
const CONSOLE_DIR = join(import.meta.dirname, '../../console');
const ASSET = /^[a-z0-9-]+\.(html|css|js)$/;
const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  json: 'application/json',
};
/** Everything the page loads comes from this server; nothing inline, nothing fetched elsewhere. */
const HEADERS = {
  'cache-control': 'no-store',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** `/console` and everything under it is the local console's, not the API's. */
export const isConsolePath = (path: string): boolean => path === '/console' || path.startsWith('/console/');

/**
 * Serves the console page, its assets, the workflow's ASL, and its read-only endpoints: `/console/api/snapshot`
 * (everything the page shows, one request) and `/console/api/admin/...` (one admin GET route, e.g. an inflight
 * page or a checkpoint validation). Reads use the admin token in-process, so they are answered only to this
 * machine (loopback address and host name); writes are never served here: the page calls the admin API with the
 * token its operator enters.
 */
export async function serveConsole(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  routes: readonly CompiledRoute[],
  auth: Config['auth'],
): Promise<void> {
  if (!fromThisMachine(req)) {
    return send(res, 403, 'json', {
      error: 'forbidden',
      message: 'the console is served only to this machine (127.0.0.1 or localhost)',
    });
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD');
    return send(res, 405, 'json', { error: 'method_not_allowed', message: 'the console only reads' });
  }
  const rest = url.pathname.slice('/console'.length);
  if (rest === '' || rest === '/') return sendFile(res, 'index.html');
  if (rest === '/asl.json') return send(res, 200, 'json', readFileSync(ASL_FILE, 'utf8'));
  if (rest === '/api/snapshot')
    return send(res, 200, 'json', await consoleSnapshot(adminReader(routes, auth)));
  if (rest.startsWith('/api/admin/')) {
    const answer = await adminReader(routes, auth)(`${rest.slice('/api'.length)}${url.search}`);
    return send(res, answer.status, 'json', answer.body);
  }
  const name = rest.slice(1);
  if (ASSET.test(name) && existsSync(join(CONSOLE_DIR, name))) return sendFile(res, name);
  return send(res, 404, 'json', { error: 'not_found', message: `the console has no ${url.pathname}` });
}

function sendFile(res: ServerResponse, name: string): void {
  const ext = name.slice(name.lastIndexOf('.') + 1);
  send(res, 200, ext, readFileSync(join(CONSOLE_DIR, name)));
}

function send(res: ServerResponse, status: number, type: string, body: unknown): void {
  const payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  res.writeHead(status, { ...HEADERS, 'content-type': TYPES[type] ?? 'application/octet-stream' });
  res.end(payload);
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** The request came over loopback and names a loopback host (so a DNS-rebound page cannot read the snapshot). */
function fromThisMachine(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? '';
  const loopback = address === '::1' || /^(::ffff:)?127\./.test(address);
  const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
  return loopback && (LOOPBACK_HOSTS.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host));
}
