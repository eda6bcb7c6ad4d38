import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { approvalEnv, as } from './support/operators.ts';
import { eventually } from './support/upgrade.ts';

/** Schedules under the approval policy: a schedule names an approved proposal, checked again when it fires. */
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi(approvalEnv(0));
});
afterAll(async () => {
  await api.stop();
  for (const k of Object.keys(approvalEnv(0))) delete process.env[k];
});

async function approved(target: string): Promise<string> {
  const p = await as(api, 'alice')('POST', '/admin/proposals', {
    upgrade: { target_version: target, reason: 'scheduled and approved' },
    description: `ship ${target} at night`,
  });
  for (const who of ['bob', 'carol'] as const)
    await as(api, who)('POST', `/admin/proposals/${p.body.id as string}/approve`, {
      config_sha256: p.body.config_sha256,
    });
  return p.body.id as string;
}

const inTwoSeconds = () => `at(${new Date(Date.now() + 2000).toISOString().slice(0, 19)})`;
type Entry = { id: string; outcome: string; error: string | null; schedule_name?: string };
const history = async () => (await api.admin('GET', '/admin/upgrades')).body.upgrades as Entry[];

describe('a schedule of an approved proposal', () => {
  it('runs at its time while the proposal is executable, and the history links both', async () => {
    const id = await approved('1.1.0');
    const created = await api.admin('POST', '/admin/upgrade/schedules', {
      name: 'tonight',
      schedule: inTwoSeconds(),
      proposal_id: id,
    });
    expect(created.status, created.text).toBe(201);
    await eventually(async () => (await history())[0]?.outcome === 'succeeded', 30_000);
    const [run] = await history();
    const detail = (await api.admin('GET', `/admin/upgrades/${run?.id}`)).body.upgrade as Record<
      string,
      unknown
    >;
    expect(detail).toMatchObject({ proposal_id: id, schedule_name: 'tonight', to_version: '1.1.0' });
    expect((await api.admin('GET', `/admin/proposals/${id}`)).body).toMatchObject({
      state: 'executed',
      executed: { upgrade_id: run?.id },
    });
  });

  it('leaves a refused history entry saying why when the proposal was vetoed before its time', async () => {
    const id = await approved('2.0.0');
    const created = await api.admin('POST', '/admin/upgrade/schedules', {
      name: 'vetoed',
      schedule: inTwoSeconds(),
      proposal_id: id,
    });
    expect(created.status, created.text).toBe(201);
    const veto = await as(api, 'carol')('POST', `/admin/proposals/${id}/reject`, { reason: 'bad timing' });
    expect(veto.status).toBe(200);
    await eventually(async () => (await history())[0]?.outcome === 'refused', 30_000);
    const [entry] = await history();
    expect(entry?.error).toMatch(/proposal .* is not executable: .*rejected by carol: bad timing/);
    expect((await api.admin('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Active',
      version: '1.1.0',
    });
  });
});
