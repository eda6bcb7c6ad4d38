import { afterEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { runUpgrade } from './support/upgrade.ts';
import {
  startWholeSystem,
  type WholeSystem,
  whereItStands,
  wholeSystemRequest,
} from './system/whole-system.ts';

// Two contracts and two services in one upgrade, on a simulated chain (cw-simulate) and local replicas.
let api: TestApi | undefined;
let sys: WholeSystem | undefined;
afterEach(async () => {
  await api?.stop();
  await sys?.stop();
  api = undefined;
  sys = undefined;
});

const allOn =
  (version: string, code: (c: WholeSystem['contracts']['escrow']) => number) => (s: WholeSystem) => ({
    contracts: {
      settlement: { code: code(s.contracts.settlement), version, inflight: s.inflight.settlement },
      escrow: { code: code(s.contracts.escrow), version, inflight: s.inflight.escrow },
    },
    replicas: {
      orchestrator: { 'replica-1': version, 'replica-2': version },
      relayer: { 'replica-1': version, 'replica-2': version },
    },
  });

/** What each "Roll back changed components" step undid, in order. */
const undone = (steps: { name: string; detail: Record<string, unknown> | null }[]) =>
  steps
    .filter((s) => s.name === 'Roll back changed components' && s.detail?.done === false)
    .map((s) =>
      s.detail?.contract ? `contract ${s.detail.contract}` : `${s.detail?.service} ${s.detail?.replica}`,
    );

describe('one upgrade of the whole system', () => {
  it('migrates both contracts and rolls out both services, in order, each a step of its own', async () => {
    sys = await startWholeSystem();
    const chain = sys.chain;
    api = await startTestApi({}, undefined, { overrides: { chain: () => chain } });
    const run = await runUpgrade(api, wholeSystemRequest(sys));
    expect(run.upgrade.state, String(run.upgrade.error)).toBe('succeeded');
    expect(await whereItStands(sys)).toEqual(allOn('2.0.0', (c) => c.v2)(sys));
    const names = run.steps.map((s) => s.name);
    const at = (n: string) => names.indexOf(n);
    for (const n of [
      'Migrate contract: settlement',
      'Migrate contract: escrow',
      'Roll out service replicas: orchestrator',
      'Roll out service replicas: relayer',
      'Verify every replica before success',
    ])
      expect(at(n), n).toBeGreaterThan(-1);
    expect(at('Migrate contract: settlement')).toBeLessThan(at('Migrate contract: escrow'));
    expect(at('Migrate contract: escrow')).toBeLessThan(at('Roll out service replicas: orchestrator'));
    expect(at('Roll out service replicas: orchestrator')).toBeLessThan(
      at('Roll out service replicas: relayer'),
    );
    const status = (await api.admin('GET', '/admin/upgrade/status')).body;
    expect(status.components).toEqual([
      expect.objectContaining({ kind: 'contract', name: 'settlement', state: 'done' }),
      expect.objectContaining({ kind: 'contract', name: 'escrow', state: 'done' }),
      expect.objectContaining({
        kind: 'service',
        name: 'orchestrator',
        state: 'done',
        detail: '2 of 2 replicas on 2.0.0',
      }),
      expect.objectContaining({ kind: 'service', name: 'relayer', state: 'done' }),
    ]);
    const checkpoint = (await api.admin('GET', `/admin/checkpoints/${run.upgrade.checkpoint_id as string}`))
      .body;
    expect(checkpoint.record_counts).toMatchObject({
      contract_configs: 2,
      inflight_settlements: 3,
      escrow_states: 2,
      solver_bond_states: 1,
    });
  });

  type Failure = {
    name: string;
    request: (s: WholeSystem) => Record<string, unknown>;
    faults?: Parameters<typeof startWholeSystem>[0];
    undone: string[];
  };
  const failures: Failure[] = [
    {
      name: "the second contract's verification",
      request: (s) => wholeSystemRequest(s, { escrowVersion: '2.0.9' }),
      undone: ['contract escrow', 'contract settlement'],
    },
    {
      name: "the first service's health",
      request: (s) => wholeSystemRequest(s),
      faults: { orchestrator: { 'replica-2': 'unhealthy_after_deploy' } },
      undone: ['orchestrator replica-2', 'orchestrator replica-1', 'contract escrow', 'contract settlement'],
    },
    {
      name: "the second service's health",
      request: (s) => wholeSystemRequest(s),
      faults: { relayer: { 'replica-1': 'unhealthy_after_deploy' } },
      undone: [
        'relayer replica-1',
        'orchestrator replica-2',
        'orchestrator replica-1',
        'contract escrow',
        'contract settlement',
      ],
    },
    {
      name: 'the post-checks',
      request: (s) => ({
        ...wholeSystemRequest(s),
        post_checks: [{ name: 'gone', type: 'http', url: 'http://127.0.0.1:9/health' }],
      }),
      undone: [
        'relayer replica-2',
        'relayer replica-1',
        'orchestrator replica-2',
        'orchestrator replica-1',
        'contract escrow',
        'contract settlement',
      ],
    },
  ];

  it.each(failures)('a failure at $name rolls back exactly what changed, newest first', async (f) => {
    sys = await startWholeSystem(f.faults);
    const chain = sys.chain;
    api = await startTestApi({}, undefined, { overrides: { chain: () => chain } });
    // Two intents inflight through the upgrade (forced through the drain): their records are migrated, then restored.
    for (const id of ['held-1', 'held-2'])
      expect((await api.intent('POST', '/intents', { id, phase: 'Pending' })).status).toBe(201);
    const run = await runUpgrade(api, {
      ...f.request(sys),
      drain_timeout_secs: 1,
      force_after_timeout: true,
    });
    expect(run.upgrade.state, String(run.upgrade.error)).toBe('rolled_back');
    const inflight = (await api.admin('GET', '/admin/inflight')).body.intents as {
      id: string;
      protocol_version: string;
    }[];
    expect(inflight.map((i) => [i.id, i.protocol_version]).sort()).toEqual([
      ['held-1', '1.0.0'],
      ['held-2', '1.0.0'],
    ]);
    expect(undone(run.steps as never)).toEqual(f.undone);
    expect(await whereItStands(sys)).toEqual(allOn('1.0.0', (c) => c.v1)(sys));
    const status = (await api.admin('GET', '/admin/upgrade/status')).body;
    const changed = new Set(f.undone.map((u) => u.replace(/^contract /, '').split(' ')[0]));
    for (const c of status.components as { name: string; state: string }[])
      expect(c.state, c.name).toBe(changed.has(c.name) ? 'rolled_back' : 'pending');
    expect((await api.admin('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Active',
      version: '1.0.0',
    });
  });

  it('a given order is kept, and contracts migrated by governance wait for their confirmation in turn', async () => {
    const system = await startWholeSystem();
    sys = system;
    const t = await startTestApi({}, undefined, { overrides: { chain: () => system.chain } });
    api = t;
    const request = wholeSystemRequest(system);
    const governed = request.contracts.map((c) => ({ ...c, governance: { timeout_secs: 60 } }));
    const waitFor = async (contract: string) => {
      for (let i = 0; i < 200; i++) {
        const s = (await t.admin('GET', '/admin/upgrade/status')).body;
        const c = (s.components as { name: string; state: string }[]).find((x) => x.name === contract);
        if (s.current_step === 'Waiting for governance migration' && c?.state === 'current') return s;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`never waited for ${contract}`);
    };
    const run = await runUpgrade(
      t,
      {
        ...request,
        contracts: governed,
        services: [request.services[1]],
        order: ['relayer', 'escrow', 'settlement'],
      },
      async () => {
        for (const name of ['escrow', 'settlement'] as const) {
          const s = await waitFor(name);
          expect(String(s.next)).toContain(`migrate ${name}`);
          // The proposal migrates the contract on-chain (played here by the admin key), then the operator confirms.
          const c = system.contracts[name];
          const tx = await system.chain.migrate(c.address, c.v2, { new_version: '2.0.0' });
          const ok = await t.admin('POST', `/admin/upgrade/${s.upgrade_id as string}/confirm-migration`, {
            tx_hash: tx.transactionHash,
          });
          expect(ok.status, JSON.stringify(ok.body)).toBe(200);
        }
      },
    );
    expect(run.upgrade.state, String(run.upgrade.error)).toBe('succeeded');
    const names = run.steps.map((x) => x.name);
    const changes = names.filter((n) => /: (relayer|escrow|settlement)$/.test(n) && !n.startsWith('Wait'));
    expect([...new Set(changes)]).toEqual([
      'Roll out service replicas: relayer',
      'Verify governance migration: escrow',
      'Verify governance migration: settlement',
    ]);
  });
});
