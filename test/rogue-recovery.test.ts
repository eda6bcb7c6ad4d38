import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { eventually } from './support/upgrade.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api.stop();
});

describe('recovery started by hand ({recover} through states:StartExecution)', () => {
  it('leaves an upgrade whose own execution is running alone; the upgrade goes on and succeeds', async () => {
    expect((await api.intent('POST', '/intents', { id: 'holds-the-drain' })).status).toBe(201);
    const started = await api.admin('POST', '/admin/upgrade/start', {
      target_version: '2.0.0',
      reason: 'live upgrade',
      drain_timeout_secs: 600,
    });
    expect(started.status, started.text).toBe(202);
    const id = started.body.upgrade_id as string;
    await eventually(async () => (await api.admin('GET', '/admin/drain/status')).body.mode === 'Draining');

    const rogue = await api.engine.start('rogue-recovery', {
      recover: { upgrade_id: id, reason: 'started by hand', by_operator: false },
    });
    const done = await api.engine.finished(rogue.executionArn);
    expect(JSON.parse(JSON.stringify(done.output ?? {}))).toBeTruthy();
    const history = await api.engine.history(rogue.executionArn);
    expect(history.map((e) => e.state)).toContain('Upgrade recovered');
    const status = (await api.admin('GET', '/admin/upgrade/status')).body;
    expect(status).toMatchObject({ upgrade_id: id, state: 'running' });
    expect((await api.admin('GET', '/admin/drain/status')).body.mode).toBe('Draining');

    expect((await api.intent('POST', '/intents/holds-the-drain/complete')).status).toBe(200);
    const end = await api.engine.finished(started.body.execution_arn as string);
    expect(end.status).toBe('SUCCEEDED');
    const record = (await api.admin('GET', `/admin/upgrades/${id}`)).body.upgrade as Record<string, unknown>;
    expect(record.state).toBe('succeeded');
    expect(JSON.stringify(record.result ?? {})).not.toMatch(/recovery/);
  });
});
