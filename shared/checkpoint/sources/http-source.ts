import { guardedRequest } from '../../net/guarded-request.ts';
import { describeUrl } from '../../net/outbound-url.ts';
import type { CheckpointSource } from '../manifest.ts';

/**
 * Asks a service for its state over HTTP (GET, JSON): an array, or an object whose `items` is an array.
 * For the order book or solver states of the backend services.
 */
export function httpSource(name: string, url: string, timeoutMs = 30_000): CheckpointSource {
  return {
    name,
    async *records() {
      const shown = describeUrl(url);
      const res = await guardedRequest(url, {
        timeoutMs,
        headers: { accept: 'application/json' },
        maxBytes: 256 * 1024 * 1024,
      });
      if (res.status < 200 || res.status >= 300)
        throw new Error(`checkpoint source ${name}: GET ${shown} answered ${res.status}`);
      let body: unknown;
      try {
        body = JSON.parse(res.text);
      } catch {
        throw new Error(`checkpoint source ${name}: ${shown} did not answer JSON`);
      }
      const items = Array.isArray(body) ? body : (body as { items?: unknown }).items;
      if (!Array.isArray(items))
        throw new Error(`checkpoint source ${name}: ${shown} returned neither an array nor {items: [...]}`);
      yield* items;
    },
  };
}
