import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workflowTask } from '../lambdas/workflow/workflow-task.ts';
import { type RecordPatch, recordPatch, withPatches, writeRecord } from '../shared/upgrade/record-patch.ts';
import type { UpgradeRecord } from '../shared/upgrade/upgrade-record.ts';
import type { WorkflowState } from '../shared/upgrade/workflow-state.ts';
import { startTestApi, type TestApi } from './support/api.ts';

describe('the one writer of a run record', () => {
  const written: [string, Partial<UpgradeRecord>][] = [];
  const store = { update: async (id: string, set: Partial<UpgradeRecord>) => void written.push([id, set]) };

  it('writes a named patch as it is', async () => {
    await writeRecord(store, 'u1', recordPatch('migration', { records_migrated: 5, progress_pct: 60 }));
    expect(written).toEqual([['u1', { records_migrated: 5, progress_pct: 60 }]]);
  });

  it('refuses a field outside its kind before writing anything', async () => {
    const stray = { kind: 'bake', set: { state: 'succeeded' } } as unknown as RecordPatch;
    await expect(writeRecord(store, 'u1', stray)).rejects.toThrow('a bake patch may not set state');
    expect(written).toHaveLength(1);
  });
});

describe('a workflow step returns its record patches; the Task wrapper writes them (DynamoDB Local)', () => {
  let api: TestApi;
  let id: string;
  const record = async () =>
    (await api.admin('GET', `/admin/upgrades/${id}`)).body.upgrade as Record<string, unknown>;

  beforeAll(async () => {
    api = await startTestApi();
    const dry = await api.admin('POST', '/admin/upgrade/start', {
      target_version: '2.0.0',
      reason: 'a record to patch',
      dry_run: true,
    });
    id = dry.body.upgrade_id as string;
    const started = await api.admin('GET', `/admin/upgrades/${id}`);
    await api.engine.finished((started.body.upgrade as { execution_arn: string }).execution_arn);
  });
  afterAll(() => api.stop());

  it('writes the patches after the step succeeds; the output the state machine sees is unchanged', async () => {
    const step = workflowTask('Example step', async () =>
      withPatches({ looked: true }, recordPatch('progress', { progress_pct: 42, result: { seen: 1 } })),
    ).withEnvironment(api.env);
    const out = await step({ upgrade_id: id } as WorkflowState);
    expect(JSON.parse(JSON.stringify(out))).toEqual({ looked: true });
    expect(await record()).toMatchObject({
      current_step: 'Example step',
      progress_pct: 42,
      result: { seen: 1 },
    });
  });

  it('a returned patch that sets a field outside its kind fails the step and writes nothing of it', async () => {
    const stray = { kind: 'bake', set: { state: 'succeeded' } } as unknown as RecordPatch;
    const step = workflowTask('Stray step', async () => withPatches({}, stray)).withEnvironment(api.env);
    await expect(step({ upgrade_id: id } as WorkflowState)).rejects.toThrow('a bake patch may not set state');
    expect(await record()).toMatchObject({ state: 'dry_run', progress_pct: 42 });
  });
});
