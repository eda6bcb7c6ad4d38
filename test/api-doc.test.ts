import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as table from '../lambdas/routes.ts';
import { commonErrors, ROUTES } from '../lambdas/routes.ts';
import { renderApiDoc, SCHEMAS } from '../local/api-doc/render-api-doc.ts';

describe('the API table and docs/api.md', () => {
  it('docs/api.md is what `npm run docs:api` writes from lambdas/routes.ts', () => {
    const file = readFileSync(resolve(import.meta.dirname, '../docs/api.md'), 'utf8');
    expect(file, 'docs/api.md is stale: run npm run docs:api').toBe(renderApiDoc());
  });

  it('each route has one entry, and every schema it names is exported by a schema file', () => {
    const keys = ROUTES.map((r) => `${r.method} ${r.resource}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(new Set(ROUTES.map((r) => r.handler)).size).toBe(ROUTES.length);
    // Every entry the table exports is listed in ROUTES, under its handler's camel-cased name.
    const entries = Object.entries(table).filter(
      (e): e is [string, table.Route] => typeof e[1] === 'object' && e[1] !== null && 'handler' in e[1],
    );
    expect(entries.map(([, r]) => r).sort((a, b) => a.handler.localeCompare(b.handler))).toEqual(
      [...ROUTES].sort((a, b) => a.handler.localeCompare(b.handler)),
    );
    for (const [name, r] of entries)
      expect(name).toBe(r.handler.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()));
    for (const r of ROUTES)
      for (const name of [r.input?.body, r.input?.query].filter(Boolean))
        expect(SCHEMAS[name as string], `${r.handler} names ${name}`).toBeDefined();
  });

  it('every error code a route lists is one the code can answer (no typo goes into docs/api.md)', () => {
    const root = resolve(import.meta.dirname, '..');
    const sources = ['shared', 'lambdas', 'local']
      .flatMap((dir) =>
        readdirSync(resolve(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => `${dir}/${f}`),
      )
      .filter((f) => f.endsWith('.ts') && f !== 'lambdas/routes.ts')
      .map((f) => readFileSync(resolve(root, f), 'utf8'))
      .join('\n');
    for (const r of ROUTES)
      for (const code of [...(r.errors ?? []), ...commonErrors(r)])
        expect(sources.includes(`'${code}'`), `${r.handler} lists ${code}, which no source answers`).toBe(
          true,
        );
  });

  it('each handler validates exactly the schemas its entry names, and takes its access from the entry', async () => {
    for (const r of ROUTES) {
      const mod = (await import(`../lambdas/${r.handler}.ts`)) as {
        handler: { route?: { name: string; body?: unknown; query?: unknown } };
      };
      const declared = mod.handler.route;
      expect(declared?.name, `lambdas/${r.handler}.ts builds its handler from its entry`).toBe(r.handler);
      expect(declared?.body, `${r.handler} body`).toBe(r.input?.body ? SCHEMAS[r.input.body] : undefined);
      expect(declared?.query, `${r.handler} query`).toBe(r.input?.query ? SCHEMAS[r.input.query] : undefined);
    }
  });
});
