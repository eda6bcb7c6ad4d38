import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { stackDataDir, ucp } from '../support/ucp.ts';
import { eventually } from '../support/upgrade.ts';

let api: TestApi;
let dir: string;
/** `ucp` pointed at the test stack the way `npm start` leaves it: the data folder alone, no --url, no --token. */
const run = (...args: string[]) => ucp('--data-dir', dir, ...args);
const quick = ['--json'];

beforeAll(async () => {
  api = await startTestApi({ MIN_UPGRADE_INTERVAL_SECS: '0' });
  dir = stackDataDir(api.url, api.adminToken);
});
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('ucp against the local stack (found through its data folder)', () => {
  it('status and the drain commands: --json is the API answer, exit 0; a refused request says why, exit 2', async () => {
    const status = await run('status', ...quick);
    expect(status.code, status.stderr).toBe(0);
    expect(status.json).toMatchObject({ drain: { mode: 'Active' }, upgrade: null });
    const human = await run('status');
    expect(human.stdout).toMatch(/mode:\s+Active \(version 1\.0\.0\)/);
    expect(human.stdout).toMatch(/no upgrade yet/);

    const noReason = await run('drain', 'start', ...quick);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/400 invalid_request: invalid body: reason/);
    expect(noReason.json).toMatchObject({ exit_code: 2, error: { error: 'invalid_request' } });

    // One intent inflight, so the drain waits for it.
    expect((await api.intent('POST', '/intents', { id: 'held' })).status).toBe(201);
    expect((await run('drain', 'start', '--reason', 'cli', '--timeout', '60', ...quick)).json).toMatchObject({
      mode: 'Draining',
      inflight_count: 1,
    });
    const again = await run('drain', 'start', '--reason', 'twice', ...quick);
    expect(again.code).toBe(1); // 409: the operation could not be done now
    expect(again.stderr).toMatch(/illegal_transition.*already under way/);
    expect((await run('drain', 'status', ...quick)).json).toMatchObject({
      mode: 'Draining',
      admitting: false,
    });
    expect((await api.intent('POST', '/intents', { id: 'refused' })).status).toBe(503);
    expect((await run('drain', 'cancel', ...quick)).json).toMatchObject({ mode: 'Active' });
    expect((await run('drain', 'start', '--reason', 'to force', ...quick)).code).toBe(0);
    expect((await run('drain', 'force', ...quick)).json).toMatchObject({ mode: 'Drained', forced: true });
    expect((await run('drain', 'resume', ...quick)).json).toMatchObject({ mode: 'Active' });
    expect((await api.intent('POST', '/intents/held/complete')).status).toBe(200);
  });

  it('inflight pages through the intents, and filters by phase and locked funds', async () => {
    for (const [id, locked] of [
      ['c-1', false],
      ['c-2', true],
      ['c-3', false],
    ] as const)
      expect((await api.intent('POST', '/intents', { id, user_funds_locked: locked })).status).toBe(201);
    const first = await run('inflight', '--limit', '2', ...quick);
    expect(listOf<unknown>(first.json, 'intents').length).toBe(2);
    const cursor = String(first.json?.next_cursor);
    const second = await run('inflight', '--limit', '2', '--cursor', cursor, ...quick);
    expect(listOf<unknown>(second.json, 'intents').length).toBe(1);
    const locked = await run('inflight', '--locked', ...quick);
    expect(listOf<{ id: string }>(locked.json, 'intents').map((i) => i.id)).toEqual(['c-2']);
    const table = await run('inflight');
    expect(table.stdout).toMatch(/intent\s+phase\s+funds\s+age\s+version/);
    expect(table.stdout).toMatch(/c-2\s+Pending\s+locked/);
    for (const id of ['c-1', 'c-2', 'c-3']) await api.intent('POST', `/intents/${id}/complete`);
  });

  it('ibc pending and recovery: the packets nearest their timeout, the intents in recovery', async () => {
    const ns = String(BigInt(Date.now() + 600_000) * 1_000_000n);
    const packet = {
      source_port: 'transfer',
      source_channel: 'channel-4',
      sequence: 12,
      timeout_timestamp: ns,
    };
    expect(
      (await api.intent('POST', '/intents', { id: 'x-1', phase: 'Recovering', ibc_packets: [packet] }))
        .status,
    ).toBe(201);
    const json = await run('ibc', 'pending', '--channel', 'channel-4', ...quick);
    expect(listOf<{ intent_id: string }>(json.json, 'packets').map((p) => p.intent_id)).toEqual(['x-1']);
    const table = await run('ibc', 'pending');
    expect(table.stdout).toMatch(/port\/channel\s+sequence\s+intent\s+age\s+timeout in/);
    expect(table.stdout).toMatch(/transfer\/channel-4\s+12\s+x-1\s+\S+\s+(9m \d+s|10m)/);
    const recovery = await run('recovery');
    expect(recovery.code, recovery.stderr).toBe(0);
    expect(recovery.stdout).toMatch(/x-1\s+Recovering/);
    expect(recovery.stdout).toContain('no upgrade is recovering');
    expect((await run('ibc', 'pending', '--channel', 'bad', ...quick)).code).toBe(2);
    await api.intent('POST', '/intents/x-1/complete');
  });

  it('upgrade start --watch follows an upgrade to success (exit 0); a rolled-back one exits 1', async () => {
    const ok = await run(
      'upgrade',
      'start',
      '--target',
      '1.0.1',
      '--reason',
      'cli',
      '--watch',
      '--interval',
      '200',
      ...quick,
    );
    expect(ok.code, ok.stderr).toBe(0);
    const lines = ok.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ upgrade_id: expect.stringMatching(/^upgrade-1_0_1-/) });
    expect(lines.at(-1)).toMatchObject({ upgrade: { state: 'succeeded' } });
    const id = String(lines[0]?.upgrade_id);

    const failing = `${dir}/failing.json`;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      failing,
      JSON.stringify({
        target_version: '1.1.0',
        reason: 'post-check fails',
        migrations: [],
        rollback_retry_delay_secs: 0,
        post_checks: [{ name: 'gone', type: 'http', url: 'http://127.0.0.1:9/health' }],
      }),
    );
    const bad = await run('upgrade', 'start', '--file', failing, '--watch', '--interval', '200');
    expect(bad.code, bad.stdout).toBe(1);
    expect(bad.stdout).toMatch(/✗ Run post-checks/);
    expect(bad.stdout).toMatch(/ended rolled_back/);

    expect((await run('upgrades', ...quick)).json).toMatchObject({
      upgrades: [{ outcome: 'rolled_back' }, { id, outcome: 'succeeded' }],
    });
    const shown = await run('upgrade', 'show', id, ...quick);
    expect(listOf<{ name: string }>(shown.json, 'steps').map((s) => s.name)).toContain(
      'Resume on target version',
    );
    expect((await run('upgrade', 'show', id)).stdout).toMatch(/✓\s+Resume on target version/);
    expect((await run('upgrade', 'status', ...quick)).json).toMatchObject({ state: 'rolled_back' });
    expect((await run('upgrade', 'show', 'no-such-upgrade')).code).toBe(2);

    const ckpts = await run('checkpoints', ...quick);
    const ckpt = listOf<{ id: string; upgrade_id: string }>(ckpts.json, 'checkpoints').find(
      (c) => c.upgrade_id === id,
    );
    expect(ckpt).toBeDefined();
    const valid = await run('checkpoint', 'validate', String(ckpt?.id), ...quick);
    expect(valid.json).toMatchObject({ validation: { valid: true } });
    expect((await run('checkpoint', 'validate', String(ckpt?.id))).stdout).toMatch(/valid:\s+yes/);
  });

  it('abort, continue, confirm-migration and promote: each says what the API said', async () => {
    const started = await run('upgrade', 'start', '--file', await manualDeployFile('1.0.2'), ...quick);
    expect(started.code, started.stderr).toBe(0);
    const id = String(started.json?.upgrade_id);
    const promote = await run('upgrade', 'promote', id);
    expect(promote.code).toBe(1);
    expect(promote.stderr).toMatch(/409 not_baking/);
    const confirm = await run('upgrade', 'confirm-migration', id, '--tx-hash', 'nothex');
    expect(confirm.code).toBe(2);
    expect(confirm.stderr).toMatch(/tx_hash.*64 hex digits/);
    await waitFor(
      async () => (await run('upgrade', 'status', ...quick)).json?.current_step === 'Waiting for deploy',
    );
    const go = await run('upgrade', 'continue', id);
    expect(go.code, go.stderr).toBe(0);
    expect(go.stdout).toMatch(new RegExp(`upgrade_id: ${id}, continued: true`));
    const watched = await run('upgrade', 'watch', id, '--interval', '200');
    expect(watched.code).toBe(0);
    expect(watched.stdout).toMatch(/✓ Wait for operator deploy/);

    const next = await run('upgrade', 'start', '--file', await manualDeployFile('1.0.3'), ...quick);
    expect(next.code, next.stderr).toBe(0);
    await waitFor(
      async () => (await run('upgrade', 'status', ...quick)).json?.current_step === 'Waiting for deploy',
    );
    const abort = await run('upgrade', 'abort', ...quick);
    expect(abort.code, abort.stderr).toBe(0);
    expect((await run('upgrade', 'watch', String(next.json?.upgrade_id), '--interval', '200')).code).toBe(1);
  });

  it('a maintenance: upgrade start with --reason alone, then drain resume is its go-ahead', async () => {
    const started = await run('upgrade', 'start', '--reason', 'maintenance', ...quick);
    expect(started.code, started.stderr).toBe(0);
    const id = String(started.json?.upgrade_id);
    await eventually(async () =>
      String((await run('upgrade', 'status', ...quick)).json?.current_step).includes('maintenance'),
    );
    const go = await run('drain', 'resume', ...quick);
    expect(go.code, go.stderr).toBe(0);
    expect(go.json).toMatchObject({ upgrade: { upgrade_id: id, action: 'continue' } });
    await eventually(async () => (await run('upgrade', 'status', ...quick)).json?.state === 'succeeded');
  });

  it('schedules: create, list, delete', async () => {
    const at = new Date(Date.now() + 3_600_000).toISOString().slice(0, 19);
    const made = await run(
      'schedules',
      'create',
      '--name',
      'cli-night',
      '--at',
      `at(${at})`,
      '--target',
      '1.0.2',
      '--reason',
      'later',
      ...quick,
    );
    expect(made.code, made.stderr).toBe(0);
    expect((await run('schedules', 'list', ...quick)).json).toMatchObject({
      schedules: [{ name: 'cli-night' }],
    });
    expect((await run('schedules', 'list')).stdout).toMatch(/cli-night\s+at\(.*upgrade to 1\.0\.2\s+ENABLED/);
    expect((await run('schedules', 'delete', 'cli-night', ...quick)).code).toBe(0);
    expect((await run('schedules', 'list', ...quick)).json).toMatchObject({ schedules: [] });
  });
});

describe('ucp connection errors: exit 3 when unreachable or unauthorised, 2 for usage', () => {
  it('a wrong URL, a wrong token, a missing token, an unknown command, a missing argument', async () => {
    const port = await closedPort();
    const down = await ucp('--url', `http://127.0.0.1:${port}`, '--token', 't', 'status');
    expect(down.code).toBe(3);
    expect(down.stderr).toMatch(
      /cannot reach the control plane at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\).*npm start/,
    );
    const wrong = await run('--token', 'not-the-token', 'status', '--json');
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/401 unauthorized.*--token/);
    const empty = stackDataDir(api.url, 'x');
    rmSync(`${empty}/tokens.json`);
    const none = await ucp('--data-dir', empty, 'status');
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no token for http.*--token/);
    rmSync(`${empty}/endpoint.json`);
    const nowhere = await ucp('--data-dir', empty, 'status');
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/no control plane found: start one with `npm start`/);
    rmSync(empty, { recursive: true, force: true });
    expect((await run('drain', 'bogus')).code).toBe(2);
    expect((await run('upgrade', 'show')).code).toBe(2);
    const noConfig = await run('upgrade', 'start', '--target', '2.0.0');
    expect(noConfig.code).toBe(2);
    expect(noConfig.stderr).toMatch(/--reason/);
    expect((await run('--help')).code).toBe(0);
  });
});

async function manualDeployFile(target: string): Promise<string> {
  const { writeFileSync } = await import('node:fs');
  const file = `${dir}/manual-${Date.now()}.json`;
  writeFileSync(
    file,
    JSON.stringify({
      target_version: target,
      reason: 'manual deploy',
      migrations: [],
      rollback_retry_delay_secs: 0,
      deploy: { mode: 'manual', deploy_timeout_secs: 120 },
    }),
  );
  return file;
}

async function waitFor(check: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A list field of a JSON answer (empty when the answer is not JSON). */
function listOf<T>(json: Record<string, unknown> | null, key: string): T[] {
  return (json?.[key] ?? []) as T[];
}

/** A port nothing listens on (just freed). */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}
