import type { Config } from '../../shared/config.ts';
import { type CompiledRoute, lambdaContext, toEvent } from '../proxy-event.ts';

/** A handler's answer, its body parsed. */
export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** Reads one admin GET path (`/admin/inflight?limit=50`) by calling its handler in-process. */
export type AdminRead = (path: string) => Promise<Answer>;

/**
 * The console's read access: the admin GET handlers, called in-process with the local admin token, so the page
 * shows the state before an operator has entered any token. Only GET routes, so nothing it reads changes state;
 * a path that is not an admin GET route is a 404.
 */
export function adminReader(routes: readonly CompiledRoute[], auth: Config['auth']): AdminRead {
  const reads = routes.filter((r) => r.method === 'GET' && r.access === 'admin');
  return async (path) => {
    const url = new URL(path, 'http://local');
    const route = reads.find((r) => r.pattern.test(url.pathname));
    const match = route?.pattern.exec(url.pathname);
    if (!route || !match) {
      return {
        status: 404,
        body: {
          error: 'not_found',
          message: `the console reads only the admin GET routes, not ${url.pathname}`,
        },
      };
    }
    if (auth.mode !== 'token') {
      return {
        status: 503,
        body: { error: 'not_local', message: 'the console reads only in the local runtime (bearer tokens)' },
      };
    }
    const headers = { authorization: `Bearer ${auth.adminToken}`, 'x-operator': 'console' };
    const event = toEvent({ headers, sourceIp: '127.0.0.1' }, url, route, match, '');
    const out = await route.fn(event, lambdaContext(route.handler, event.requestContext.requestId));
    return { status: out.statusCode, body: parseBody(out.body) };
  };
}

function parseBody(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { error: 'not_json', message: text.slice(0, 200) };
  }
}
