import type { CheckpointSource } from '../manifest.ts';

/**
 * Asks a service for its state over HTTP (GET, JSON): an array, or an object whose `items` is an array.
 * For the order book or solver states of the backend services.
 */
export function httpSource(name: string, url: string, timeoutMs = 30_000): CheckpointSource {
  return {
    name,
    async *records() {
      const res = await fetch(url, {
        signal: AbortSignal.timeout(timeoutMs),
        headers: { accept: 'application/json' },
      });
      if (!res.ok) throw new Error(`checkpoint source ${name}: GET ${url} answered ${res.status}`);
      const body = (await res.json()) as unknown;
      const items = Array.isArray(body) ? body : (body as { items?: unknown }).items;
      if (!Array.isArray(items))
        throw new Error(`checkpoint source ${name}: ${url} returned neither an array nor {items: [...]}`);
      yield* items;
    },
  };
}
