import { afterAll, describe, expect, it } from 'vitest';
import { LocalWorkflowEngine } from '../local/workflow/local-workflow-engine.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { eventually, healthEndpoint, intentItems } from './support/upgrade.ts';

let api: TestApi | undefined;
afterAll(async () => {
  await api?.stop();
});

/** The embedded runtime restarts: the executions it ran are gone, the upgrade's lock and the fence remain. */
async function loseExecutions(t: TestApi): Promise<void> {
  t.engine.stopAll();
  t.useEngine(await LocalWorkflowEngine.create({ environment: t.env }));
}

/** Waits for the background recovery the abort started. */
async function recovered(t: TestApi): Promise<void> {
  await eventually(
    async () =>
      !['running', 'interrupted', 'recovering'].includes(
        String((await t.admin('GET', '/admin/upgrade/status')).body.state),
      ),
  );
}

describe('aborting an upgrade whose execution was lost', () => {
  it('during the drain: the drain is cancelled and the old version admits again', async () => {
    api = await startTestApi();
    await api.intent('POST', '/intents', { id: 'holds' });
    await api.admin('POST', '/admin/upgrade/start', { target_version: '2.0.0', reason: 'lost' });
    await eventually(async () => (await api?.admin('GET', '/admin/drain/status'))?.body.mode === 'Draining');
    await loseExecutions(api);
    const stuck = (await api.admin('GET', '/admin/upgrade/status')).body;
    expect(stuck).toMatchObject({ state: 'interrupted', estimated_completion: null });
    expect(stuck.next).toContain('cannot resume');
    expect((await api.raw('GET', '/health')).body).toMatchObject({
      status: 'Degraded',
      upgrade: { state: 'interrupted' },
    });
    const aborted = await api.admin('POST', '/admin/upgrade/abort');
    expect(aborted.status).toBe(202);
    expect(aborted.body.message).toContain('no longer running');
    await recovered(api);
    expect((await api.admin('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Active',
      version: '1.0.0',
    });
    expect((await api.admin('GET', '/admin/upgrade/status')).body).toMatchObject({ state: 'aborted' });
    expect((await api.admin('POST', '/admin/upgrade/abort')).status).toBe(409);
  });

  it('after migration began: the records are restored from the checkpoint and the old version resumes', async () => {
    await api?.stop();
    api = await startTestApi();
    let release: () => void = () => {};
    const held = new Promise<void>((r) => {
      release = r;
    });
    const slow = await healthEndpoint(async (_req, res) => {
      await held;
      res.writeHead(200).end('{}');
    });
    await api.intent('POST', '/intents', { id: 'kept', protocol_version: '1.0.0' });
    const before = await intentItems();
    await api.admin('POST', '/admin/upgrade/start', {
      target_version: '2.0.0',
      reason: 'lost mid-way',
      drain_timeout_secs: 1,
      force_after_timeout: true,
      post_checks: [{ name: 'slow', type: 'http', url: slow.url }],
    });
    await eventually(
      async () => (await api?.admin('GET', '/admin/upgrade/status'))?.body.current_step === 'Run post-checks',
    );
    expect((await intentItems())[0]?.protocol_version).toBe('2.0.0');
    await loseExecutions(api);
    const aborted = await api.admin('POST', '/admin/upgrade/abort');
    expect(aborted.body.message).toContain('recovery started');
    await recovered(api);
    const status = (await api.admin('GET', '/admin/upgrade/status')).body;
    expect(status).toMatchObject({ state: 'rolled_back' });
    expect(status.error).toContain('rolled back to checkpoint');
    release();
    await slow.close();
    expect(await intentItems()).toEqual(before);
    expect((await api.admin('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Active',
      version: '1.0.0',
    });
  });
});
