/**
 * `npm run demo`: the embedded control plane under a workload of intents, upgraded from 1.0.0 to 2.0.0 while the
 * workload runs. Prints the timeline step by step and ends with how many intents were admitted, refused with
 * 503, completed and failed (failed must be 0).
 *
 * `npm run demo -- --bad-release`: the release is bad: replica-2 turns Unhealthy a few seconds after it runs the new
 * version, during the bake. The bake's health trigger trips and the upgrade is undone after resume (drained again,
 * migrations reversed on every record, replicas back, old version resumed); still no intent fails.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stackClient } from './stack-client.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.MIN_UPGRADE_INTERVAL_SECS ??= '0';
process.env.TABLE_PREFIX ??= 'demo';
const { startLocalStack } = await import('./stack.ts');
const { freePort } = await import('./engines/free-port.ts');

const WORKERS = Number(process.env.DEMO_WORKERS ?? 8);
const dataDir = mkdtempSync(join(tmpdir(), 'ucp-demo-'));
const { startSampleBackend } = await import('./sample-backend.ts');
const stack = await startLocalStack({ dataDir, host: '127.0.0.1', port: await freePort() });
const badRelease = process.argv.includes('--bad-release');
const backend = await startSampleBackend({
  replicas: 3,
  version: '1.0.0',
  restartMs: 300,
  ...(badRelease ? { faults: { 'replica-2': 'degrades_after_deploy' as const }, degradeAfterMs: 5000 } : {}),
});
const t0 = Date.now();
const at = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`;
const { admin, intent } = stackClient(stack);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const counts = { admitted: 0, refused503: 0, completed: 0, failed: 0 };
let running = true;
const worker = async (w: number) => {
  for (let n = 0; running; n++) {
    const id = `demo-${w}-${n}`;
    const reg = await intent('POST', '/intents', {
      id,
      user_funds_locked: n % 3 === 0,
      protocol_version: '1.0.0',
    });
    if (reg.status === 503) {
      counts.refused503++;
      await sleep(Math.min(1000, Number(reg.headers.get('retry-after') ?? 1) * 1000));
      continue;
    }
    if (reg.status !== 201) {
      counts.failed++;
      console.log(`${at()}  intent ${id} failed to register: ${reg.status} ${JSON.stringify(reg.body)}`);
      continue;
    }
    counts.admitted++;
    await sleep(300 + Math.random() * 1500); // the intent settles
    const done = await intent('POST', `/intents/${id}/complete`);
    if (done.status === 200 && done.body.completed === true) counts.completed++;
    else {
      counts.failed++;
      console.log(`${at()}  intent ${id} failed to complete: ${done.status} ${JSON.stringify(done.body)}`);
    }
  }
};

console.log(`${at()}  control plane on ${stack.url}; ${WORKERS} workers registering and completing intents`);
const workers = Array.from({ length: WORKERS }, (_, w) => worker(w));
await sleep(3000);
const started = await admin('POST', '/admin/upgrade/start', {
  target_version: '2.0.0',
  reason: 'demo: protocol 2.0.0',
  drain_timeout_secs: 60,
  deploy: { mode: 'hooks', targets: backend.targets, replica_timeout_secs: 30 },
  // Watch the replicas for a minute after resume; two failed looks in a row at any of them roll it back.
  bake: {
    duration_secs: badRelease ? 60 : 5,
    check_interval_secs: 1,
    triggers: backend.targets.map((t) => ({
      type: 'health',
      check: { name: t.name.replace('-', '_'), type: 'http', url: t.health_url },
      consecutive: 2,
    })),
  },
});
console.log(`${at()}  POST /admin/upgrade/start -> ${started.status} ${String(started.body.upgrade_id)}`);
let last = '';
for (;;) {
  const s = (await admin('GET', '/admin/upgrade/status')).body;
  const d = s.drain_status as Record<string, unknown>;
  const bake = s.bake as { seconds_left: number; readings: { fired: boolean; detail: string }[] } | null;
  const baking = s.state === 'baking' && bake ? ` bake ${bake.seconds_left}s left` : '';
  const line = `${String(s.current_step).padEnd(34)}${baking} mode ${String(d.mode).padEnd(9)} inflight ${String(d.inflight_count).padStart(3)}  ${String(s.progress_pct).padStart(3)}%`;
  if (line !== last) console.log(`${at()}  ${line}`);
  last = line;
  if (s.state !== 'running' && s.state !== 'baking') {
    console.log(`${at()}  upgrade ${String(s.state)}${s.error ? `: ${String(s.error)}` : ''}`);
    break;
  }
  await sleep(200);
}
await sleep(2000);
running = false;
await Promise.all(workers);
const detail = (await admin('GET', `/admin/upgrades/${String(started.body.upgrade_id)}`)).body.upgrade as {
  deployment?: {
    replicas: { name: string; from: string; to: string; outcome: string; duration_ms: number }[];
    smoke_test?: { ok: boolean };
  };
};
const steps = (await admin('GET', `/admin/upgrades/${String(started.body.upgrade_id)}`)).body.steps as {
  name: string;
  started_at: number;
  ended_at: number | null;
  outcome: string;
}[];
console.log(`\nsteps (${steps.length}):`);
for (const st of steps) {
  const ms = st.ended_at ? st.ended_at - st.started_at : null;
  console.log(`  ${st.name.padEnd(40)} ${st.outcome.padEnd(10)} ${ms === null ? '' : `${ms} ms`}`);
}
for (const r of detail.deployment?.replicas ?? []) {
  console.log(`${at()}  ${r.name}: ${r.from} -> ${r.to} ${r.outcome} in ${r.duration_ms} ms`);
}
const smoke = detail.deployment?.smoke_test;
console.log(`${at()}  smoke test after resume: ${smoke ? (smoke.ok ? 'passed' : 'FAILED') : 'not recorded'}`);
const outcome = (await admin('GET', `/admin/upgrades/${String(started.body.upgrade_id)}`)).body.upgrade as {
  state: string;
  error: string | null;
};
console.log(`${at()}  outcome: ${outcome.state}${outcome.error ? ` (${outcome.error})` : ''}`);
const final = (await admin('GET', '/admin/drain/status')).body;
console.log(
  `${at()}  now ${String(final.mode)} on ${String(final.version)}, ${String(final.inflight_count)} inflight`,
);
console.log(
  `\nadmitted ${counts.admitted}, refused with 503 ${counts.refused503}, completed ${counts.completed}, failed ${counts.failed}`,
);
await backend.stop();
await stack.stop();
rmSync(dataDir, { recursive: true, force: true });
process.exit(counts.failed === 0 && counts.admitted === counts.completed ? 0 : 1);
