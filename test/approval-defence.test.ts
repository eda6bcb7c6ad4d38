import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalScheduleStore } from '../local/workflow/local-schedule-store.ts';
import { withDefaults } from '../shared/upgrade/upgrade-config.ts';
import type { WorkflowEngine } from '../shared/upgrade/workflow-engine.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { approvalEnv, as } from './support/operators.ts';

let api: TestApi;
const config = (target: string, extra: Record<string, unknown> = {}) =>
  withDefaults({ target_version: target, reason: 'direct', ...extra }, 1);

beforeAll(async () => {
  api = await startTestApi(approvalEnv(0));
});
afterAll(async () => {
  await api.stop();
  for (const k of Object.keys(approvalEnv(0))) delete process.env[k];
});

/** Starts the state machine directly, as someone with states:StartExecution (or the console) would. */
async function startDirectly(name: string, input: Record<string, unknown>) {
  const { executionArn } = await api.engine.start(name, {
    scheduled: false,
    upgrade_id: name,
    from_version: '1.0.0',
    rollback_attempts: { count: 0 },
    ...input,
  });
  await api.engine.finished(executionArn);
  const history = await api.engine.history(executionArn);
  return { executionArn, states: history.map((e) => e.state).filter(Boolean) as string[] };
}

async function approvedProposal(target: string) {
  const p = await as(api, 'alice')('POST', '/admin/proposals', {
    upgrade: { target_version: target, reason: 'approved' },
    description: 'approved change',
  });
  for (const who of ['bob', 'carol'] as const)
    await as(api, who)('POST', `/admin/proposals/${p.body.id as string}/approve`, {
      config_sha256: p.body.config_sha256,
    });
  const view = await api.admin('GET', `/admin/proposals/${p.body.id as string}`);
  expect(view.body.state).toBe('executable');
  return view.body as { id: string; config: Record<string, unknown> };
}

const drainedNothing = async () => {
  const mode = await api.cp.fence.readMode();
  expect(mode.mode).toBe('Active');
  expect(mode.version).toBe('1.0.0');
};

describe('the workflow refuses executions that are not an approved upgrade, before draining', () => {
  it('an execution started with no proposal while the policy is on', async () => {
    const run = await startDirectly('rogue-no-proposal', { config: config('2.0.0') });
    expect(run.states).toContain('Upgrade refused: not approved');
    expect(run.states).not.toContain('Start drain');
    await drainedNothing();
    const record = (await api.admin('GET', '/admin/upgrades/rogue-no-proposal')).body.upgrade as Record<
      string,
      string
    >;
    expect(record.state).toBe('refused');
    expect(record.error).toMatch(
      /started outside the control plane was refused before draining: .* not registered/,
    );
    const audit = await api.cp.audit.recent(20);
    expect(audit.find((a) => a.action === 'upgrade.unapproved_execution')?.actor).toBe(
      'execution:rogue-no-proposal',
    );
  });

  it('an execution naming an approved proposal with another config; the proposal stays executable', async () => {
    const p = await approvedProposal('2.0.0');
    const run = await startDirectly('rogue-other-config', {
      proposal_id: p.id,
      config: { ...p.config, drain_timeout_secs: 7 },
    });
    expect(run.states).toContain('Upgrade refused: not approved');
    await drainedNothing();
    expect((await api.admin('GET', `/admin/proposals/${p.id}`)).body.state).toBe('executable');
    expect((await api.cp.upgrade.upgrades.lockHolder()) ?? null).toBeNull();
  });

  it('the registered upgrade of a proposal whose execution input carries a changed config', async () => {
    const p = await approvedProposal('2.0.0');
    // The engine receives a config other than the approved one (as if the input were altered on the way).
    const real = api.engine;
    const tampering = Object.create(real) as WorkflowEngine;
    tampering.start = (name, input) => {
      const i = input as { config?: Record<string, unknown> };
      return real.start(
        name,
        i.config ? { ...i, config: { ...i.config, force_after_timeout: true } } : input,
      );
    };
    api.useEngine(tampering, new LocalScheduleStore(() => real));
    try {
      const started = await as(api, 'erin')('POST', `/admin/proposals/${p.id}/execute`);
      expect(started.status, started.text).toBe(202);
      await real.finished(started.body.execution_arn as string);
      const record = (await api.admin('GET', `/admin/upgrades/${started.body.upgrade_id as string}`)).body
        .upgrade as Record<string, string>;
      expect(record.state).toBe('refused');
      expect(record.error).toMatch(/not the approved one/);
      await drainedNothing();
      expect(await api.cp.upgrade.upgrades.lockHolder()).toBeNull();
    } finally {
      api.useEngine(real);
    }
  });

  it('a crash between marking a proposal executed and starting it: executing again starts that same upgrade', async () => {
    const p = await approvedProposal('2.0.0');
    // Test set-up: the state a crash leaves after the mark and before the start (no upgrade record exists).
    const stored = await api.cp.upgrade.proposals.get(p.id);
    if (!stored) throw new Error('proposal not stored');
    const name = 'upgrade-2_0_0-20261204T000000-dead';
    const executed = { by: 'alice', at: Date.now(), upgrade_id: name };
    expect(await api.cp.upgrade.proposals.replace({ ...stored, executed, version: stored.version + 1 })).toBe(
      true,
    );
    const started = await as(api, 'bob')('POST', `/admin/proposals/${p.id}/execute`);
    expect(started.status, started.text).toBe(202);
    expect(started.body.upgrade_id).toBe(name);
    const again = await as(api, 'bob')('POST', `/admin/proposals/${p.id}/execute`);
    expect(again.body).toMatchObject({ error: 'proposal_executed', upgrade_id: name });
    await api.engine.finished(started.body.execution_arn as string);
    const mode = await api.cp.fence.readMode();
    expect(mode).toMatchObject({ mode: 'Active', version: '2.0.0' });
  });
});
