import { InvalidToken, TaskDoesNotExist, TaskTimedOut } from '@aws-sdk/client-sfn';
import { afterEach, describe, expect, it } from 'vitest';
import { statusOf } from '../lambdas/http/error-mapping.ts';
import { LocalWorkflowEngine } from '../local/workflow/local-workflow-engine.ts';
import { waitEnded } from '../shared/adapters/sfn/aws-workflow-engine.ts';
import { ConflictError } from '../shared/domain/errors.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { eventually } from './support/upgrade.ts';

let api: TestApi | undefined;
afterEach(async () => {
  api?.engine.stopAll();
  await api?.stop();
  api = undefined;
});

const manual = { mode: 'manual', deploy_timeout_secs: 60 };

/** Starts a manual-deploy upgrade and waits until it waits for the operator. */
async function waitingUpgrade(t: TestApi): Promise<string> {
  const started = await t.admin('POST', '/admin/upgrade/start', {
    target_version: '2.0.0',
    reason: 'manual deploy',
    deploy: manual,
  });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  await eventually(
    async () => (await t.admin('GET', '/admin/upgrade/status')).body.current_step === 'Waiting for deploy',
  );
  return started.body.upgrade_id as string;
}

const record = async (t: TestApi, id: string) =>
  (await t.admin('GET', `/admin/upgrades/${id}`)).body.upgrade as Record<string, unknown>;

describe('continue and confirm-migration check before they write', () => {
  it('after a restart (the engine no longer holds the wait), continue is a 409 and the record is unchanged', async () => {
    api = await startTestApi();
    const t = api;
    const id = await waitingUpgrade(t);
    const before = await record(t, id);
    // A restarted process: a new engine that knows nothing of the old execution's task token.
    const restarted = await LocalWorkflowEngine.create({ retryIntervalMs: 20, environment: t.env });
    t.useEngine(restarted);
    try {
      const res = await t.admin('POST', `/admin/upgrade/${id}/continue`);
      expect(res.status, JSON.stringify(res.body)).toBe(409);
      expect(res.body.error).toBe('not_waiting');
      expect(res.body.message).toContain('no longer waiting for a deploy');
      const after = await record(t, id);
      expect(after.deployment).toEqual(before.deployment);
      expect((after.deployment as { continued_by: unknown }).continued_by).toBeNull();
      expect(after.result).toEqual(before.result);
    } finally {
      t.useEngine(t.engine);
    }
  });

  it('continue on an upgrade that is not waiting is a 409 and changes nothing', async () => {
    api = await startTestApi();
    const t = api;
    const started = await t.admin('POST', '/admin/upgrade/start', {
      target_version: '2.0.0',
      reason: 'plain',
    });
    expect(started.status).toBe(202);
    const id = started.body.upgrade_id as string;
    await t.engine.finished(started.body.execution_arn as string);
    const before = await record(t, id);
    const res = await t.admin('POST', `/admin/upgrade/${id}/continue`);
    expect(res.status).toBe(409);
    expect(res.body.error).toBe('not_waiting');
    const gov = await t.admin('POST', `/admin/upgrade/${id}/confirm-migration`, { tx_hash: 'a'.repeat(64) });
    expect(gov.status).toBe(409);
    expect(gov.body.error).toBe('not_waiting');
    expect(await record(t, id)).toEqual(before);
  });

  it('a wait that the engine still holds: continue writes continued_by only after the engine took it', async () => {
    api = await startTestApi();
    const t = api;
    const id = await waitingUpgrade(t);
    const ok = await t.admin('POST', `/admin/upgrade/${id}/continue`);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(((await record(t, id)).deployment as { continued_by: unknown }).continued_by).toBe('admin-token');
  });
});

describe('Step Functions: a task token that no longer waits', () => {
  it('TaskTimedOut, TaskDoesNotExist and InvalidToken become a 409 not_waiting', () => {
    const meta = { $metadata: {}, message: 'gone' };
    for (const err of [new TaskTimedOut(meta), new TaskDoesNotExist(meta), new InvalidToken(meta)]) {
      let caught: unknown;
      try {
        waitEnded(err);
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ConflictError);
      expect(caught).toMatchObject({ code: 'not_waiting', kind: 'conflict' });
      expect(statusOf(caught as ConflictError)).toBe(409);
    }
    const other = new Error('throttled');
    expect(() => waitEnded(other)).toThrow(other);
  });
});
