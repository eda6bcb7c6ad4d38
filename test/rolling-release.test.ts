import { afterEach, describe, expect, it } from 'vitest';
import { startSampleBackend } from '../local/sample-backend.ts';
import { LocalWorkflowEngine } from '../local/workflow/local-workflow-engine.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { eventually, runUpgrade } from './support/upgrade.ts';

/**
 * A rolling release (`strategy: "rolling"`): replica by replica with admission open. DynamoDB Local, the local
 * interpreter and sample replicas over HTTP; producers register each intent on a replica the load balancer offers
 * (one not drained), owned by it.
 */
let api: TestApi | undefined;
let backend: Awaited<ReturnType<typeof startSampleBackend>> | undefined;
afterEach(async () => {
  await api?.stop();
  await backend?.stop();
  api = undefined;
  backend = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const rolling = (b: NonNullable<typeof backend>, extra: Record<string, unknown> = {}) => ({
  target_version: '1.1.0',
  reason: 'backend 1.1.0, compatible',
  strategy: 'rolling',
  services: [
    {
      name: 'backend',
      deploy: {
        mode: 'hooks',
        targets: b.targets,
        replica_timeout_secs: 10,
        request_timeout_secs: 2,
        retries: 0,
        replica_drain_timeout_secs: 30,
        ...extra,
      },
    },
  ],
});

interface Seen {
  id: string;
  owner: string;
  registered: number;
  completed: number | null;
}

/** Producers registering intents on the replicas the load balancer offers, each settling in 0.5 to 1.5 s. */
function load(t: TestApi, b: NonNullable<typeof backend>, workers = 6) {
  const seen: Seen[] = [];
  const refused: number[] = [];
  const failed: string[] = [];
  let running = true;
  const worker = async (w: number) => {
    for (let n = 0; running; n++) {
      const offered = b.accepting();
      const owner = offered[(w + n) % Math.max(1, offered.length)];
      if (!owner) {
        await sleep(50);
        continue;
      }
      const id = `w${w}-${n}`;
      const reg = await t.intent('POST', '/intents', { id, owner });
      if (reg.status === 503) {
        refused.push(Date.now());
        continue;
      }
      if (reg.status !== 201) {
        failed.push(`${id}: ${reg.status}`);
        continue;
      }
      const one: Seen = { id, owner, registered: Date.now(), completed: null };
      seen.push(one);
      await sleep(500 + ((w * 7 + n * 13) % 1000));
      const done = await t.intent('POST', `/intents/${id}/complete`);
      if (done.status === 200) one.completed = Date.now();
      else failed.push(`${id} complete: ${done.status}`);
    }
  };
  const all = Array.from({ length: workers }, (_, w) => worker(w));
  return {
    seen,
    refused,
    failed,
    stop: async () => {
      running = false;
      await Promise.all(all);
    },
  };
}

describe('a rolling release', () => {
  it('under load: no 503, and each replica is deployed only after the intents it owns are done', async () => {
    api = await startTestApi();
    backend = await startSampleBackend({ replicas: 3, version: '1.0.0', restartMs: 200 });
    const b = backend;
    const work = load(api, b);
    await sleep(1500);
    const seenStatus: string[] = [];
    const t = api;
    const run = await runUpgrade(t, rolling(b), async () => {
      // While it runs: the status says rolling, and names the replica draining for its own intents.
      for (let i = 0; i < 100; i++) {
        const st = (await t.admin('GET', '/admin/upgrade/status')).body;
        const detail = (st.components as { detail: string }[] | undefined)?.[0]?.detail ?? '';
        seenStatus.push(`${String(st.strategy)} ${detail}`);
        if (/draining replica-\d/.test(detail) || st.state !== 'running') break;
        await sleep(100);
      }
    });
    await sleep(500);
    await work.stop();
    expect(
      seenStatus.some((x) => /^rolling \d of 3 replicas on 1\.1\.0; draining replica-\d/.test(x)),
      seenStatus.join('\n'),
    ).toBe(true);
    expect(run.upgrade.state, String(run.upgrade.error)).toBe('succeeded');
    expect(b.versions()).toEqual({ 'replica-1': '1.1.0', 'replica-2': '1.1.0', 'replica-3': '1.1.0' });
    expect(work.refused).toEqual([]);
    expect(work.failed).toEqual([]);
    expect(work.seen.length).toBeGreaterThan(20);
    const deploys = b.deploys();
    for (const [replica, list] of Object.entries(deploys)) {
      const at = list[0]?.at ?? 0;
      expect(
        list.map((d) => d.version),
        replica,
      ).toEqual(['1.1.0']);
      // Its own intents: done before its deploy, or registered after it was back.
      const early = work.seen.filter(
        (i) => i.owner === replica && i.registered < at && (i.completed ?? Infinity) > at,
      );
      expect(
        early.map((i) => i.id),
        replica,
      ).toEqual([]);
    }
    // One after the other: a replica is drained only once the one before it is back.
    const starts = Object.values(deploys).map((l) => l[0]?.at ?? 0);
    expect([...starts].sort((x, y) => x - y)).toEqual(starts);
    expect((await api.admin('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Active',
      version: '1.0.0',
    });
    expect(run.steps.map((s) => s.name)).not.toContain('Start drain');
  });

  it("a replica's drain timeout with locked funds stops the release and rolls back what it changed", async () => {
    api = await startTestApi();
    backend = await startSampleBackend({ replicas: 3, version: '1.0.0', restartMs: 100 });
    // replica-2 holds an intent with the user's funds locked that will not finish in time.
    expect(
      (await api.intent('POST', '/intents', { id: 'stuck', owner: 'replica-2', user_funds_locked: true }))
        .status,
    ).toBe(201);
    const owned = await api.admin('GET', '/admin/inflight?owner=replica-2');
    expect((owned.body.intents as { id: string }[]).map((i) => i.id)).toEqual(['stuck']);
    const run = await runUpgrade(api, rolling(backend, { replica_drain_timeout_secs: 2 }));
    expect(run.upgrade.state, JSON.stringify([run.endState, run.upgrade.error, run.steps])).toBe(
      'rolled_back',
    );
    expect(String(run.upgrade.error)).toMatch(
      /replica-2: 1 of its intents still inflight after 2 s \(1 with funds locked; e\.g\. stuck\)/,
    );
    expect(backend.versions()).toEqual({ 'replica-1': '1.0.0', 'replica-2': '1.0.0', 'replica-3': '1.0.0' });
    const deploys = backend.deploys();
    expect(deploys['replica-1']?.map((d) => d.version)).toEqual(['1.1.0', '1.0.0']); // rolled out, then back
    expect(deploys['replica-2']).toEqual([]); // drained, never deployed: resumed
    expect(deploys['replica-3']).toEqual([]);
    expect(backend.accepting()).toEqual(['replica-1', 'replica-2', 'replica-3']);
    expect((await api.admin('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Active',
      admitting: true,
    });
  });

  it('refuses what a rolling release cannot do, with a 400 that says what to fix', async () => {
    api = await startTestApi();
    backend = await startSampleBackend({ replicas: 2, version: '1.0.0' });
    const base = rolling(backend);
    const contract = {
      address: `wasm1${'q'.repeat(38)}p`,
      new_code_id: 2,
      expected_checksum: 'a'.repeat(64),
      migrate_msg: { new_version: '1.1.0' },
    };
    const noDrain = backend.targets.map(({ drain_url: _d, ...t }) => t);
    for (const [body, says] of [
      [
        { ...base, migrations: ['1.0.0->1.1.0'] },
        /migrations: migrating stored records needs the global drain/,
      ],
      [{ ...base, contract }, /contract: a contract migration needs the global drain/],
      [
        { ...base, services: [{ name: 'backend', deploy: { mode: 'hooks', targets: noDrain } }] },
        /replica replica-1 has no drain_url/,
      ],
      [
        { ...base, services: [{ name: 'backend', deploy: { mode: 'manual' } }] },
        /rolls hooks, not a manual deploy/,
      ],
    ] as const) {
      const res = await api.admin('POST', '/admin/upgrade/start', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(String(res.body.message)).toMatch(says);
    }
    expect((await api.admin('GET', '/admin/upgrade/status')).status).not.toBe(500);
  });
});

describe('a rolling release whose execution is lost', () => {
  it('is recovered by abort: every replica it touched is put back and resumed (aborted); admission never closed', async () => {
    api = await startTestApi();
    backend = await startSampleBackend({ replicas: 3, version: '1.0.0', restartMs: 100 });
    const t = api;
    // replica-2 holds an intent: the release is waiting for it when its execution is lost.
    expect((await t.intent('POST', '/intents', { id: 'held', owner: 'replica-2' })).status).toBe(201);
    const started = await t.admin('POST', '/admin/upgrade/start', rolling(backend));
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    for (let i = 0; ; i++) {
      const detail = (
        (await t.admin('GET', '/admin/upgrade/status')).body.components as { detail: string }[]
      )[0]?.detail;
      if (/draining replica-2/.test(String(detail))) break;
      if (i > 200) throw new Error(`never drained replica-2: ${detail}`);
      await sleep(100);
    }
    t.engine.stopAll(); // the runtime restarted: the execution is gone; replica-1 runs 1.1.0, replica-2 is drained
    t.useEngine(await LocalWorkflowEngine.create({ environment: t.env }));
    expect((await t.intent('POST', '/intents', { id: 'meanwhile', owner: 'replica-3' })).status).toBe(201);
    expect((await t.intent('POST', '/intents/held/complete')).status).toBe(200);
    const aborted = await t.admin('POST', '/admin/upgrade/abort');
    expect(aborted.status, JSON.stringify(aborted.body)).toBe(202);
    for (let i = 0; ; i++) {
      const u = (await t.admin('GET', `/admin/upgrades/${started.body.upgrade_id as string}`)).body
        .upgrade as {
        state: string;
      };
      if (u.state !== 'running') {
        expect(u.state).toBe('aborted');
        break;
      }
      if (i > 300) throw new Error('recovery did not end');
      await sleep(100);
    }
    expect(backend.versions()).toEqual({ 'replica-1': '1.0.0', 'replica-2': '1.0.0', 'replica-3': '1.0.0' });
    expect(backend.accepting()).toEqual(['replica-1', 'replica-2', 'replica-3']);
    expect((await t.admin('GET', '/admin/drain/status')).body).toMatchObject({
      mode: 'Active',
      admitting: true,
    });
  });
});

describe('an operator aborting a rolling release', () => {
  it('rolls back the replicas it touched, newest first, and ends aborted', async () => {
    api = await startTestApi();
    backend = await startSampleBackend({ replicas: 3, version: '1.0.0', restartMs: 100 });
    const t = api;
    expect((await t.intent('POST', '/intents', { id: 'held', owner: 'replica-2' })).status).toBe(201);
    const run = await runUpgrade(t, rolling(backend), async () => {
      for (let i = 0; ; i++) {
        const detail = (
          (await t.admin('GET', '/admin/upgrade/status')).body.components as { detail: string }[]
        )[0]?.detail;
        if (/draining replica-2/.test(String(detail))) break;
        if (i > 200) throw new Error(`never drained replica-2: ${detail}`);
        await sleep(100);
      }
      const aborted = await t.admin('POST', '/admin/upgrade/abort');
      expect(aborted.status, JSON.stringify(aborted.body)).toBe(202);
    });
    expect(run.upgrade.state, String(run.upgrade.error)).toBe('aborted');
    expect(run.endState).toBe('Rolling release aborted');
    expect(backend.versions()).toEqual({ 'replica-1': '1.0.0', 'replica-2': '1.0.0', 'replica-3': '1.0.0' });
    expect(backend.deploys()['replica-1']?.map((d) => d.version)).toEqual(['1.1.0', '1.0.0']);
    expect(backend.accepting()).toEqual(['replica-1', 'replica-2', 'replica-3']);
  });
});

describe('a canary first', () => {
  const canaryBake = (url: string) => ({
    replicas: 1,
    bake: {
      duration_secs: 3,
      check_interval_secs: 1,
      triggers: [
        { type: 'health', check: { name: 'canary', type: 'http', url }, consecutive: 1 },
        { type: 'stuck_inflight', max_age_secs: 60 },
      ],
    },
  });

  it('a healthy canary bakes, then the release goes on to every replica', async () => {
    api = await startTestApi();
    backend = await startSampleBackend({ replicas: 3, version: '1.0.0', restartMs: 100 });
    const first = backend.targets[0]?.health_url as string;
    const run = await runUpgrade(api, { ...rolling(backend), canary: canaryBake(first) });
    expect(run.upgrade.state, String(run.upgrade.error)).toBe('succeeded');
    expect(backend.versions()).toEqual({ 'replica-1': '1.1.0', 'replica-2': '1.1.0', 'replica-3': '1.1.0' });
    expect((run.upgrade.bake as { state: string }).state).toBe('passed');
    // The canary was deployed, then baked, and only then the others.
    const d = backend.deploys();
    // The canary's last look (a polling step keeps one entry): the canary was deployed before it, the others after.
    const bake = run.steps.find((s) => s.name === 'Bake the canary') as { started_at?: number } | undefined;
    expect(bake).toBeDefined();
    expect(d['replica-1']?.[0]?.at ?? 0).toBeLessThan(Number(bake?.started_at));
    expect(d['replica-2']?.[0]?.at ?? 0).toBeGreaterThan(Number(bake?.started_at));
  });

  it('a canary turning Unhealthy in its bake rolls back the canary alone; nothing else was touched', async () => {
    api = await startTestApi();
    backend = await startSampleBackend({
      replicas: 3,
      version: '1.0.0',
      restartMs: 100,
      faults: { 'replica-1': 'degrades_after_deploy' },
      degradeAfterMs: 1000,
    });
    const first = backend.targets[0]?.health_url as string;
    const run = await runUpgrade(api, {
      ...rolling(backend),
      canary: { ...canaryBake(first), bake: { ...canaryBake(first).bake, duration_secs: 30 } },
    });
    expect(run.upgrade.state, String(run.upgrade.error)).toBe('rolled_back');
    expect(String(run.upgrade.error)).toMatch(/^the canary's bake tripped: health canary/);
    expect(backend.versions()).toEqual({ 'replica-1': '1.0.0', 'replica-2': '1.0.0', 'replica-3': '1.0.0' });
    const d = backend.deploys();
    expect(d['replica-1']?.map((x) => x.version)).toEqual(['1.1.0', '1.0.0']);
    expect(d['replica-2']).toEqual([]);
    expect(d['replica-3']).toEqual([]);
    expect(backend.accepting()).toEqual(['replica-1', 'replica-2', 'replica-3']);
  });

  it("a canary whose own intents fail (intent_failures) rolls back the canary alone; other replicas' failures do not count", async () => {
    api = await startTestApi();
    backend = await startSampleBackend({ replicas: 3, version: '1.0.0', restartMs: 100 });
    const t = api;
    const canary = {
      replicas: 1,
      bake: {
        duration_secs: 30,
        check_interval_secs: 1,
        triggers: [{ type: 'intent_failures', max_pct: 50, min_samples: 4 }],
      },
    };
    const counted: Record<string, unknown[]> = { 'replica-1': [], 'replica-2': [] };
    const run = await runUpgrade(t, { ...rolling(backend), canary }, async () => {
      const status = async () => (await t.admin('GET', '/admin/upgrade/status')).body;
      await eventually(async () => ((await status()).bake as { state?: string } | null)?.state === 'baking');
      await sleep(1100); // a completion trusts what it last read of who counts for a second
      const upgradeId = (await status()).upgrade_id;
      // Failures of intents replica-2 owns (not the canary) first: they are not counted; then the canary's own.
      for (const owner of ['replica-2', 'replica-1']) {
        for (let n = 0; n < 4; n++) {
          expect((await t.intent('POST', '/intents', { id: `${owner}-f${n}`, owner })).status).toBe(201);
          const done = await t.intent('POST', `/intents/${owner}-f${n}/complete`, { outcome: 'failed' });
          expect(done.status).toBe(200);
          counted[owner]?.push(done.body.counted_for);
        }
      }
      expect(counted['replica-2']).toEqual([null, null, null, null]);
      expect(counted['replica-1']).toEqual([upgradeId, upgradeId, upgradeId, upgradeId]);
    });
    expect(run.upgrade.state, String(run.upgrade.error)).toBe('rolled_back');
    expect(String(run.upgrade.error)).toMatch(
      /^the canary's bake tripped: intent_failures > 50 %: 4 of 4 completions of the canary's intents failed/,
    );
    expect(backend.versions()).toEqual({ 'replica-1': '1.0.0', 'replica-2': '1.0.0', 'replica-3': '1.0.0' });
    expect(backend.deploys()['replica-2']).toEqual([]);
    expect(backend.deploys()['replica-3']).toEqual([]);
  });

  it('a canary without a rolling release, or as large as the service, is a 400 that says what to fix', async () => {
    api = await startTestApi();
    backend = await startSampleBackend({ replicas: 2, version: '1.0.0' });
    const first = backend.targets[0]?.health_url as string;
    const { strategy: _s, ...drained } = rolling(backend);
    for (const [body, says] of [
      [{ ...drained, canary: canaryBake(first) }, /canary rolls first in a rolling release/],
      [
        { ...rolling(backend), canary: { ...canaryBake(first), replicas: 2 } },
        /canary must be fewer replicas/,
      ],
    ] as const) {
      const res = await api.admin('POST', '/admin/upgrade/start', body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(String(res.body.message)).toMatch(says);
    }
  });
});
