import { afterAll, describe, expect, it } from 'vitest';
import { type HealthCheck, httpCheck, runChecks } from '../shared/health/health.ts';
import { healthEndpoint } from './support/upgrade.ts';

const servers: { close: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const s of servers) await s.close();
});
const serve = async (status: number, body: string, delayMs = 0) => {
  const s = await healthEndpoint(async (_req, res) => {
    await new Promise((r) => setTimeout(r, delayMs));
    res.writeHead(status, { 'content-type': 'application/json' }).end(body);
  });
  servers.push(s);
  return s.url;
};

describe('health checks', () => {
  it('reads Healthy, Degraded and Unhealthy from real HTTP endpoints, with the reason', async () => {
    const results = await runChecks(
      [
        httpCheck('ok', await serve(200, '{"status":"Healthy"}')),
        httpCheck('slowing', await serve(200, '{"status":"Degraded"}')),
        httpCheck('down', await serve(503, '')),
        httpCheck('moved', await serve(302, '')),
        httpCheck('refused', 'http://127.0.0.1:1/health'),
      ],
      5,
    );
    expect(results.map((r) => [r.name, r.status])).toEqual([
      ['ok', 'Healthy'],
      ['slowing', 'Degraded'],
      ['down', 'Unhealthy'],
      ['moved', 'Unhealthy'], // a redirect is not followed: a failure that says so
      ['refused', 'Unhealthy'],
    ]);
    expect(results[2]?.reason).toContain('503');
    expect(results[3]?.reason).toContain('redirects are not followed');
  });

  it('a check slower than check_timeout_secs is Unhealthy with the timeout as its reason', async () => {
    const hung: HealthCheck = { name: 'hung', check: () => new Promise(() => {}) };
    const [result] = await runChecks([hung, httpCheck('slow', await serve(200, '{}', 3000))], 1);
    expect(result).toMatchObject({ name: 'hung', status: 'Unhealthy', reason: 'timed out after 1 s' });
  });
});
