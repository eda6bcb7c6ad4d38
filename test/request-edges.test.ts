import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { healthEndpoint, runUpgrade } from './support/upgrade.ts';

/** Requests as operators really send them: the guide's curl without a Content-Type, and control characters. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.stop());

const post = async (path: string, body: string, type?: string) => {
  const headers: Record<string, string> = { authorization: `Bearer ${api.adminToken}` };
  if (type !== undefined) headers['content-type'] = type;
  // As bytes: fetch gives a string body a text/plain type of its own, and these requests must carry exactly `type`.
  const res = await fetch(`${api.url}${path}`, { method: 'POST', headers, body: Buffer.from(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const mode = async () => (await api.admin('GET', '/admin/drain/status')).body.mode;

describe('a JSON body without its Content-Type', () => {
  it('is read as JSON when sent with no type (the guide) or curl -d’s form type, and parses', async () => {
    const bare = await post('/admin/drain/start', '{"reason": "no content type"}');
    expect(bare.status, JSON.stringify(bare.body)).toBe(200);
    expect((await post('/admin/drain/cancel', '{}')).status).toBe(200);
    const form = await post(
      '/admin/drain/start',
      '{"reason": "form type"}',
      'application/x-www-form-urlencoded',
    );
    expect(form.status, JSON.stringify(form.body)).toBe(200);
    expect((await post('/admin/drain/cancel', '', 'application/x-www-form-urlencoded')).status).toBe(200);
  });

  it('is still refused when it really is another type, changing nothing', async () => {
    const form = await post('/admin/drain/start', 'reason=x', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect(String(form.body.message)).toContain('Content-Type: application/json');
    expect((await post('/admin/drain/start', '{"reason": "x"}', 'text/plain')).status).toBe(415);
    expect((await post('/admin/drain/start', '<reason>x</reason>', 'application/xml')).status).toBe(415);
    expect(await mode()).toBe('Active');
  });
});

describe('free text holds no control characters', () => {
  const bad = ['nul \u0000 byte', 'escape \u001b[31m red', 'lone \ud800 half', 'c1 \u0085 next line'];

  it.each(bad)('a reason like %j is a 400 that says what to fix, and changes nothing', async (reason) => {
    const drain = await api.admin('POST', '/admin/drain/start', { reason });
    expect(drain.status).toBe(400);
    expect(String(drain.body.message)).toContain('control characters');
    const upgrade = await api.admin('POST', '/admin/upgrade/start', { target_version: '2.0.0', reason });
    expect(upgrade.status).toBe(400);
    const proposal = await api.admin('POST', '/admin/proposals', {
      upgrade: { target_version: '2.0.0', reason: 'ok' },
      description: reason,
    });
    expect(proposal.status).toBe(400);
    expect(await mode()).toBe('Active');
    expect((await api.admin('GET', '/admin/upgrades')).body).toMatchObject({ upgrades: [] });
  });

  it('tabs, line breaks and emoji are fine', async () => {
    const ok = await api.admin('POST', '/admin/drain/start', { reason: 'line one\n\tline two 🚀' });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect((await api.admin('POST', '/admin/drain/cancel', {})).status).toBe(200);
  });
});

describe("a check's degraded_ok", () => {
  it('lets that Degraded check through; without it, the same Degraded check refuses the upgrade', async () => {
    const degraded = await healthEndpoint((_req, res) => {
      res.end('{"status":"Degraded"}');
    });
    try {
      const check = { name: 'orchestrator', type: 'http', url: degraded.url };
      const strict = await runUpgrade(api, {
        target_version: '1.1.0',
        reason: 'strict',
        pre_checks: [check],
      });
      expect(strict.endState).toBe('Upgrade refused before drain');
      expect(String(strict.upgrade.error)).toContain('orchestrator Degraded');
      const tolerant = await runUpgrade(api, {
        target_version: '1.1.0',
        reason: 'tolerant',
        pre_checks: [{ ...check, degraded_ok: true }],
        post_checks: [{ ...check, degraded_ok: true }],
      });
      expect(tolerant.upgrade.state, String(tolerant.upgrade.error)).toBe('succeeded');
    } finally {
      await degraded.close();
    }
  });
});

describe('configs DynamoDB could not store', () => {
  const deep = (levels: number): Record<string, unknown> => {
    let v: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < levels; i++) v = { n: v };
    return v;
  };
  const withNewConfig = (newConfig: Record<string, unknown>) => ({
    target_version: '2.0.0',
    reason: 'odd config',
    contract: {
      address: `wasm1${'q'.repeat(38)}`,
      new_code_id: 2,
      expected_checksum: 'a'.repeat(64),
      migrate_msg: { new_version: '2.0.0', config: { new_config: newConfig } },
    },
  });
  const cases = [
    ['nested 30 levels deep', withNewConfig(deep(30)), 'nested deeper than 20 levels'],
    ['holding an empty key', withNewConfig({ '': 1 }), 'empty key'],
  ] as const;

  it.each(cases)(
    'a config %s is a 400 on every route that takes one, and creates nothing',
    async (_, config, says) => {
      const history = async () =>
        ((await api.admin('GET', '/admin/upgrades')).body.upgrades as unknown[]).length;
      const before = await history();
      const routes: [string, Record<string, unknown>][] = [
        ['/admin/upgrade/start', config],
        ['/admin/proposals', { upgrade: config, description: 'odd' }],
        ['/admin/upgrade/schedules', { name: 'odd', schedule: 'at(2099-01-01T00:00:00)', upgrade: config }],
      ];
      for (const [path, body] of routes) {
        const res = await api.admin('POST', path, body);
        expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(400);
        expect(String(res.body.message), path).toContain(says);
      }
      expect((await api.admin('GET', '/admin/upgrade/schedules')).body).toMatchObject({ schedules: [] });
      expect(await history()).toBe(before);
    },
  );
});
