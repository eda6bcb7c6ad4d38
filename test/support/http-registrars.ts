import type { Server } from 'node:http';
import { startApiGateway } from '../../local/api-gateway.ts';
import type { TestApi } from './api.ts';

/**
 * A way of registering intents, as a producer does it: `register` answers whether the fence admitted the intent
 * (true) or refused it (false); `complete` ends an admitted one. Anything else (an error, another status) throws.
 */
export interface HttpRegistrar {
  /** Which HTTP shape it goes through, for test names. */
  readonly name: string;
  register(id: string): Promise<boolean>;
  complete(id: string): Promise<void>;
  /** The raw answer of a registration, for tests that expect something else than 201/503 (409, a 5xx). */
  send(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  stop(): Promise<void>;
}

/** Over HTTP with the intent token: 201 is admitted, 503 (with Retry-After) refused. */
function overHttp(name: string, url: string, token: string, stop: () => Promise<void>): HttpRegistrar {
  const send = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      parsed = { text };
    }
    return { status: res.status, body: parsed, retryAfter: res.headers.get('retry-after') };
  };
  return {
    name,
    send,
    async register(id) {
      const out = await send('POST', '/intents', { id });
      if (out.status === 201) return true;
      if (out.status === 503 && out.body.error === 'not_admitting' && Number(out.retryAfter) > 0)
        return false;
      throw new Error(`${name}: registering ${id} answered ${out.status} ${JSON.stringify(out.body)}`);
    },
    async complete(id) {
      const out = await send('POST', `/intents/${encodeURIComponent(id)}/complete`);
      if (out.status !== 200 || out.body.completed !== true)
        throw new Error(`${name}: completing ${id} answered ${out.status} ${JSON.stringify(out.body)}`);
    },
    stop,
  };
}

/** Through the REST API's shape (payload 1.0 events): the test API's own listener. */
export function restRegistrar(api: TestApi): HttpRegistrar {
  return overHttp('REST API (payload 1.0)', api.url, api.intentToken, async () => {});
}

/** Through the function URLs' shape (payload 2.0 events): a listener of its own on the test API's environment. */
export async function functionUrlRegistrar(api: TestApi): Promise<HttpRegistrar> {
  const server: Server = await startApiGateway(api.env, '127.0.0.1', 0, { payload: '2.0' });
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const stop = () =>
    new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    });
  return overHttp('function URL (payload 2.0)', url, api.intentToken, stop);
}

/** Both HTTP shapes the intent routes have, over one test API. */
export async function httpRegistrars(api: TestApi): Promise<HttpRegistrar[]> {
  return [restRegistrar(api), await functionUrlRegistrar(api)];
}
