import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proposalServices } from '../lambdas/compose/proposal-services.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { approvalEnv, as, type OPERATORS } from './support/operators.ts';
import { eventually } from './support/upgrade.ts';

let api: TestApi;
let webhook: Server;
/** What the webhook received (PROPOSAL_WEBHOOK_URL): every announcement, in order. */
const notices: { event: string; proposal_id: string; message: string; executes_at: string | null }[] = [];
const upgrade = (target: string) => ({
  target_version: target,
  reason: `to ${target}`,
  rollback_retry_delay_secs: 0,
});

beforeAll(async () => {
  webhook = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      notices.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((ok) => webhook.listen(0, '127.0.0.1', () => ok()));
  const port = (webhook.address() as { port: number }).port;
  api = await startTestApi({ ...approvalEnv(2), PROPOSAL_WEBHOOK_URL: `http://127.0.0.1:${port}/hook` });
});
afterAll(async () => {
  await api.stop();
  webhook.close();
  delete process.env.PROPOSAL_WEBHOOK_URL;
  for (const k of Object.keys(approvalEnv(0))) delete process.env[k];
});

const propose = async (who: keyof typeof OPERATORS, target: string) => {
  const r = await as(api, who)('POST', '/admin/proposals', {
    upgrade: upgrade(target),
    description: `ship ${target}`,
  });
  expect(r.status, r.text).toBe(201);
  return r.body as { id: string; config_sha256: string } & Record<string, unknown>;
};
const approve = (who: keyof typeof OPERATORS, id: string, sha: string, waive?: boolean) =>
  as(api, who)('POST', `/admin/proposals/${id}/approve`, {
    config_sha256: sha,
    ...(waive === undefined ? {} : { waive_timelock: waive }),
  });
const finish = async (upgradeId: string) => {
  const detail = await api.admin('GET', `/admin/upgrades/${upgradeId}`);
  await api.engine.finished((detail.body.upgrade as { execution_arn: string }).execution_arn);
  return (await api.admin('GET', `/admin/upgrades/${upgradeId}`)).body.upgrade as Record<string, unknown>;
};

describe('approvals: 2 of 3 distinct approvers, bound to the config hash, with a timelock', () => {
  it('a dry run needs no approval; a schedule of a config does, a schedule of a proposal does not', async () => {
    const dry = await api.admin('POST', '/admin/upgrade/start', { ...upgrade('2.0.0'), dry_run: true });
    expect(dry.status, dry.text).toBe(202);
    expect(await finish(dry.body.upgrade_id as string)).toMatchObject({ state: 'dry_run' });
    const at = `at(${new Date(Date.now() + 3_600_000).toISOString().slice(0, 19)})`;
    const plain = await api.admin('POST', '/admin/upgrade/schedules', {
      name: 'plain',
      schedule: at,
      upgrade: upgrade('2.0.0'),
    });
    expect(plain.status).toBe(403);
    expect(plain.body.error).toBe('approval_required');
    const p = await propose('alice', '2.0.0');
    const named = await api.admin('POST', '/admin/upgrade/schedules', {
      name: 'approved',
      schedule: at,
      proposal_id: p.id,
    });
    expect(named.status, named.text).toBe(201);
    expect((named.body.request as Record<string, unknown>).proposal_id).toBe(p.id);
    expect((await api.admin('DELETE', '/admin/upgrade/schedules/approved')).status).toBe(200);
  });

  it('emergency: the timelock is waived only when every approver waives it', async () => {
    const p = await propose('erin', '1.1.0'); // erin proposes, so all three approvers can approve
    expect(p.waiver).toEqual({ requested_by: [], required: 3 });
    await approve('bob', p.id, p.config_sha256, true);
    const two = await approve('carol', p.id, p.config_sha256, true);
    expect(two.body).toMatchObject({ state: 'timelocked', timelock_waived: false });
    const refused = await as(api, 'erin')('POST', `/admin/proposals/${p.id}/execute`);
    expect(refused.body.error).toBe('timelock_active');
    const all = await approve('alice', p.id, p.config_sha256, true);
    expect(all.body).toMatchObject({ state: 'executable', timelock_waived: true, seconds_remaining: 0 });
    const run = await as(api, 'erin')('POST', `/admin/proposals/${p.id}/execute`);
    expect(run.status, run.text).toBe(202);
    expect(await finish(run.body.upgrade_id as string)).toMatchObject({
      state: 'succeeded',
      proposal_id: p.id,
    });
  });

  it('runs a proposal step by step to a succeeded upgrade that links it', async () => {
    const direct = await api.admin('POST', '/admin/upgrade/start', upgrade('2.0.0'));
    expect(direct.status).toBe(403);
    expect(direct.body.error).toBe('approval_required');
    const p = await propose('alice', '2.0.0');
    expect(p).toMatchObject({ state: 'pending', proposed_by: 'alice', required: 2, approvals: [] });
    expect(p.config_sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof p.expires_at).toBe('string');

    const own = await approve('alice', p.id, p.config_sha256);
    expect(own.status).toBe(403);
    expect(own.body.error).toBe('self_approval');
    const shared = await api.admin('POST', `/admin/proposals/${p.id}/approve`, {
      config_sha256: p.config_sha256,
    });
    expect(shared.body.error).toBe('personal_identity_required');

    const bob = await approve('bob', p.id, p.config_sha256);
    expect(bob.status).toBe(200);
    expect(bob.body).toMatchObject({ state: 'pending', counted: true });
    const again = await approve('bob', p.id, p.config_sha256);
    expect(again.body).toMatchObject({ state: 'pending', counted: false });
    expect((again.body.approvals as unknown[]).length).toBe(1);

    const stale = await approve('carol', p.id, 'ab'.repeat(32));
    expect(stale.status).toBe(409);
    expect(stale.body.error).toBe('config_changed');
    expect(stale.body.config_sha256).toBe(p.config_sha256);

    const carol = await approve('carol', p.id, p.config_sha256);
    expect(carol.body.state).toBe('timelocked');
    expect(carol.body.timelock_until).toBeTruthy();

    const early = await as(api, 'erin')('POST', `/admin/proposals/${p.id}/execute`);
    expect(early.status).toBe(409);
    expect(early.body.error).toBe('timelock_active');
    expect(early.body.seconds_remaining).toBeGreaterThan(0);
    expect(early.body.seconds_remaining).toBeLessThanOrEqual(2);

    await eventually(
      async () => (await api.admin('GET', `/admin/proposals/${p.id}`)).body.state === 'executable',
      10_000,
    );
    const run = await as(api, 'erin')('POST', `/admin/proposals/${p.id}/execute`);
    expect(run.status, run.text).toBe(202);
    const record = await finish(run.body.upgrade_id as string);
    expect(record).toMatchObject({ state: 'succeeded', proposal_id: p.id, to_version: '2.0.0' });

    const after = await api.admin('GET', `/admin/proposals/${p.id}`);
    expect(after.body).toMatchObject({ state: 'executed', executed: { upgrade_id: run.body.upgrade_id } });
    const twice = await as(api, 'bob')('POST', `/admin/proposals/${p.id}/execute`);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toBe('proposal_executed');
    const listed = await api.admin('GET', '/admin/proposals?state=executed');
    expect((listed.body.proposals as { id: string }[]).map((x) => x.id)).toContain(p.id);
  });

  it('a veto blocks approval and execution; an expired proposal cannot execute', async () => {
    const vetoed = await propose('alice', '3.0.0');
    expect((await approve('bob', vetoed.id, vetoed.config_sha256)).status).toBe(200);
    const veto = await as(api, 'carol')('POST', `/admin/proposals/${vetoed.id}/reject`, {
      reason: 'not this week',
    });
    expect(veto.body).toMatchObject({
      state: 'rejected',
      rejected: { by: 'carol', reason: 'not this week' },
    });
    expect((await approve('alice', vetoed.id, vetoed.config_sha256)).body.error).toBe('proposal_rejected');
    expect((await as(api, 'bob')('POST', `/admin/proposals/${vetoed.id}/execute`)).body.error).toBe(
      'proposal_rejected',
    );

    const old = await propose('alice', '3.0.0');
    await approve('bob', old.id, old.config_sha256);
    await approve('carol', old.id, old.config_sha256);
    // Test set-up: the proposal's stored expiry moved into the past (state is derived from stored times).
    const stored = await api.cp.upgrade.proposals.get(old.id);
    if (!stored) throw new Error('proposal not stored');
    expect(
      await api.cp.upgrade.proposals.replace({
        ...stored,
        expires_at: Date.now() - 1000,
        version: stored.version + 1,
      }),
    ).toBe(true);
    expect((await api.admin('GET', `/admin/proposals/${old.id}`)).body.state).toBe('expired');
    const late = await as(api, 'bob')('POST', `/admin/proposals/${old.id}/execute`);
    expect(late.status).toBe(409);
    expect(late.body.error).toBe('proposal_expired');
    expect((await api.admin('GET', '/admin/upgrade/status')).body.target_version).toBe('2.0.0');
  });

  it('announces every step: the webhook gets what changes, when it executes and how to object', async () => {
    notices.length = 0;
    const p = await propose('alice', '3.0.0');
    await approve('bob', p.id, p.config_sha256);
    await approve('carol', p.id, p.config_sha256);
    const cancelled = await as(api, 'alice')('POST', `/admin/proposals/${p.id}/cancel`, {
      reason: 'wrong week',
    });
    expect(cancelled.body).toMatchObject({
      state: 'cancelled',
      cancelled: { by: 'alice', reason: 'wrong week' },
    });
    const mine = notices.filter((n) => n.proposal_id === p.id);
    expect(mine.map((n) => n.event)).toEqual([
      'proposed',
      'approved',
      'approved',
      'threshold_reached',
      'cancelled',
    ]);
    const reached = mine.find((n) => n.event === 'threshold_reached');
    expect(reached?.executes_at).toBeTruthy();
    expect(reached?.message).toMatch(/target version 3\.0\.0/);
    expect(reached?.message).toMatch(new RegExp(`POST /admin/proposals/${p.id}/reject`));
  });

  it('a sweep announces an ended timelock and an expiry once each, from stored times', async () => {
    const p = await propose('alice', '3.0.0');
    await approve('bob', p.id, p.config_sha256);
    await approve('carol', p.id, p.config_sha256);
    await eventually(
      async () => (await api.admin('GET', `/admin/proposals/${p.id}`)).body.state === 'executable',
      10_000,
    );
    const first = await proposalServices(api.env).sweep();
    expect(first).toContainEqual({ id: p.id, event: 'timelock_ended' });
    expect((await proposalServices(api.env).sweep()).filter((x) => x.id === p.id)).toEqual([]);
    const stored = await api.cp.upgrade.proposals.get(p.id);
    if (!stored) throw new Error('proposal not stored');
    await api.cp.upgrade.proposals.replace({
      ...stored,
      expires_at: Date.now() - 1,
      version: stored.version + 1,
    });
    expect(await proposalServices(api.env).sweep()).toContainEqual({ id: p.id, event: 'expired' });
    expect((await proposalServices(api.env).sweep()).filter((x) => x.id === p.id)).toEqual([]);
    expect(notices.filter((n) => n.proposal_id === p.id && n.event === 'expired')).toHaveLength(1);
  });

  it('refuses bad requests with what to fix, changing nothing', async () => {
    const p = await propose('alice', '3.0.0');
    const cases: [string, string, unknown, number, string][] = [
      [
        'POST',
        '/admin/proposals',
        { upgrade: { target_version: 'x' }, description: 'd' },
        400,
        'invalid_request',
      ],
      ['POST', '/admin/proposals', { upgrade: upgrade('3.0.0') }, 400, 'invalid_request'],
      ['POST', `/admin/proposals/${p.id}/approve`, { config_sha256: 'nope' }, 400, 'invalid_request'],
      ['POST', `/admin/proposals/${p.id}/reject`, {}, 400, 'invalid_request'],
      ['GET', '/admin/proposals/prop-20990101T000000-abcdef', undefined, 404, 'not_found'],
      ['GET', '/admin/proposals/not-a-proposal', undefined, 404, 'not_found'],
      ['GET', '/admin/proposals?state=maybe', undefined, 400, 'invalid_request'],
    ];
    for (const [method, path, body, status, error] of cases) {
      const r = await as(api, 'bob')(method, path, body);
      expect(r.status, `${method} ${path}: ${r.text}`).toBe(status);
      expect(r.body.error).toBe(error);
      expect(typeof r.body.message).toBe('string');
    }
    const erin = await approve('erin', p.id, p.config_sha256);
    expect(erin.status).toBe(403);
    expect(erin.body.error).toBe('not_an_approver');
    expect((await api.admin('GET', `/admin/proposals/${p.id}`)).body.approvals).toEqual([]);
  });
});
