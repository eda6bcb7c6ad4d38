import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../local/engines/free-port.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'ucp-restart-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Running {
  child: ChildProcess;
  url: string;
  dynamoPid: number;
  output: () => string;
}

/** Starts `npm start`'s entry point as `npm start` does, as a separate process on a free port and waits for its banner. */
async function startLocal(): Promise<Running> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/main.ts'], {
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      ADMIN_TOKEN: 'adm-restart',
      INTENT_TOKEN: 'int-restart',
      TABLE_PREFIX: 'ucp',
      // The approval policy, on in both runs: proposals, approvals and timelocks must survive the restart.
      OPERATORS: 'alice,bob,carol',
      APPROVERS: 'alice,bob,carol',
      APPROVAL_TIMELOCK_SECS: '3600',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const until = Date.now() + 60_000;
  while (!/listening on/.test(out)) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`local stack did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = Number(/DynamoDB Local pid (\d+)/.exec(out)?.[1]);
  return { child, url: `http://127.0.0.1:${port}`, dynamoPid: pid, output: () => out };
}

async function stop(r: Running): Promise<number | null> {
  const exited = new Promise<number | null>((done) => r.child.once('exit', (code) => done(code)));
  r.child.kill('SIGTERM');
  return exited;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const call = async (r: Running, method: string, path: string, token: string, body?: unknown) => {
  const res = await fetch(`${r.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe('the embedded local stack', () => {
  it('keeps drain mode, inflight intents, proposals and their timelock across a restart, and leaves no JVM behind', async () => {
    const first = await startLocal();
    for (const id of ['keep-1', 'keep-2', 'keep-3']) {
      expect(
        (await call(first, 'POST', '/intents', 'int-restart', { id, user_funds_locked: id === 'keep-2' }))
          .status,
      ).toBe(201);
    }
    expect(first.output()).toMatch(/operators \(own tokens in .*operators\.json\): alice, bob, carol/);
    const tokens = JSON.parse(readFileSync(join(dataDir, 'operators.json'), 'utf8')) as Record<
      string,
      string
    >;
    const proposed = await call(first, 'POST', '/admin/proposals', tokens.alice as string, {
      upgrade: { target_version: '2.0.0', reason: 'restart test' },
      description: 'survives a restart',
    });
    expect(proposed.status).toBe(201);
    const pid = proposed.body.id as string;
    for (const who of ['bob', 'carol']) {
      const ok = await call(first, 'POST', `/admin/proposals/${pid}/approve`, tokens[who] as string, {
        config_sha256: proposed.body.config_sha256,
      });
      expect(ok.status).toBe(200);
    }
    const before = (await call(first, 'GET', `/admin/proposals/${pid}`, 'adm-restart')).body;
    expect(before.state).toBe('timelocked');
    expect(
      (await call(first, 'POST', '/admin/drain/start', 'adm-restart', { reason: 'restart test' })).body.mode,
    ).toBe('Draining');
    expect(await stop(first)).toBe(0);
    expect(first.output()).toContain('stopped cleanly');
    expect(alive(first.dynamoPid)).toBe(false);

    const second = await startLocal();
    try {
      const after = (await call(second, 'GET', `/admin/proposals/${pid}`, 'adm-restart')).body;
      expect(after).toMatchObject({
        state: 'timelocked',
        approvals: before.approvals,
        timelock_until: before.timelock_until,
        config_sha256: before.config_sha256,
      });
      expect(after.seconds_remaining).toBeLessThanOrEqual(before.seconds_remaining as number);
      const early = await call(second, 'POST', `/admin/proposals/${pid}/execute`, tokens.bob as string);
      expect(early.body.error).toBe('timelock_active');
      const status = await call(second, 'GET', '/admin/drain/status', 'adm-restart');
      expect(status.body).toMatchObject({ mode: 'Draining', inflight_count: 3, reason: 'restart test' });
      const list = await call(second, 'GET', '/admin/inflight', 'adm-restart');
      const ids = (list.body.intents as { id: string }[]).map((i) => i.id).sort();
      expect(ids).toEqual(['keep-1', 'keep-2', 'keep-3']);
      expect(
        (await call(second, 'GET', '/admin/inflight?locked=true', 'adm-restart')).body.intents,
      ).toHaveLength(1);
      expect((await call(second, 'POST', '/intents', 'int-restart', { id: 'new' })).status).toBe(503);
    } finally {
      await stop(second);
    }
    expect(alive(second.dynamoPid)).toBe(false);
  });
});
