import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripAnsi } from '../../cli/output.ts';
import { startApiGateway } from '../../local/api-gateway.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { stackDataDir } from '../support/ucp.ts';
import { eventually } from '../support/upgrade.ts';

const root = join(import.meta.dirname, '../..');
let api: TestApi;
let dir: string;
let restarted: Server | null = null;

beforeAll(async () => {
  api = await startTestApi();
  dir = stackDataDir(api.url, api.adminToken);
});
afterAll(async () => {
  restarted?.closeAllConnections();
  await new Promise<void>((r) => (restarted ? restarted.close(() => r()) : r()));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the real `ucp` bin under a pseudo-terminal (util-linux `script`), as an operator's terminal would. */
function underPty(args: string): { child: ChildProcess; output: () => string; exit: Promise<number> } {
  let out = '';
  const child = spawn('script', ['-q', '-e', '-c', `${join(root, 'bin/ucp.mjs')} ${args}`, '/dev/null'], {
    cwd: root,
    env: { ...process.env, PATH: `${join(root, 'node_modules/.bin')}:${process.env.PATH}`, TERM: 'xterm' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stderr?.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  const exit = new Promise<number>((r) => child.on('exit', (code) => r(code ?? -1)));
  return { child, output: () => out, exit };
}

/** What the operator reads (the output without its colour codes), and a wait until it shows `re`. */
function reading(watch: { output: () => string }) {
  const text = () => stripAnsi(watch.output());
  const seen = (re: RegExp) =>
    eventually(
      async () => re.test(text()),
      20_000,
      async () => text(),
    );
  return { text, seen };
}

describe('ucp drain watch under a terminal', () => {
  it('redraws in place as intents complete, rides out a restart of the control plane, and exits 0 when Drained', async () => {
    for (const id of ['lv-1', 'lv-2', 'lv-3'])
      expect((await api.intent('POST', '/intents', { id, user_funds_locked: id === 'lv-3' })).status).toBe(
        201,
      );
    expect((await api.admin('POST', '/admin/drain/start', { reason: 'live view' })).status).toBe(200);
    const watch = underPty(`--data-dir ${dir} drain watch --interval 200`);
    const { text, seen } = reading(watch);
    await seen(/3 of 3 inflight remain/);
    expect(text()).toMatch(/locked funds 1/);
    expect((await api.intent('POST', '/intents/lv-1/complete')).status).toBe(200);
    await seen(/\[########----------------\] 33% {2}2 of 3 inflight remain/);
    // The frame is redrawn in place: cursor up over the previous frame, then clear to the end of the screen.
    expect(watch.output()).toContain('\x1b[2F\x1b[0J');

    // The control plane goes away (a restart): the view says so and keeps trying.
    const port = new URL(api.url).port;
    await api.stop();
    await seen(/control plane unreachable for \d+s: retrying/);
    restarted = await startApiGateway(api.env, '127.0.0.1', Number(port));
    for (const id of ['lv-2', 'lv-3'])
      expect((await api.intent('POST', `/intents/${id}/complete`)).status).toBe(200);
    expect(await watch.exit).toBe(0);
    expect(text()).toMatch(/Drained {2}\[#{24}\] 100% {2}0 of 3 inflight remain/);
    expect(text()).toMatch(/Drained: no intent inflight; ready for the upgrade/);
    expect((await api.admin('POST', '/admin/drain/resume', {})).status).toBe(200);
  }, 60_000);

  it('upgrade start --watch: the steps with ✓ and ▶, through a restart, to the end (exit 0)', async () => {
    const config = `${dir}/manual.json`;
    writeFileSync(
      config,
      JSON.stringify({
        target_version: '1.0.1',
        reason: 'watched',
        rollback_retry_delay_secs: 0,
        deploy: { mode: 'manual', deploy_timeout_secs: 120 },
      }),
    );
    const watch = underPty(`--data-dir ${dir} upgrade start --file ${config} --watch --interval 200`);
    const { text, seen } = reading(watch);
    await seen(/▶ Wait for operator deploy/);
    expect(text()).toMatch(/✓ Checkpoint inflight state to S3 {2}\d+s/);
    expect(text()).toMatch(/next: .*continue/);
    const port = new URL(api.url).port;
    await new Promise<void>((r) => restarted?.close(() => r()));
    restarted?.closeAllConnections();
    await seen(/control plane unreachable for \d+s: retrying \(the upgrade resumes when it is back\)/);
    restarted = await startApiGateway(api.env, '127.0.0.1', Number(port));
    const id = String((await api.admin('GET', '/admin/upgrade/status')).body.upgrade_id);
    expect((await api.admin('POST', `/admin/upgrade/${id}/continue`)).status).toBe(200);
    expect(await watch.exit).toBe(0);
    expect(text()).toMatch(/✓ Record upgrade in history/);
    expect(text()).toMatch(/ended succeeded/);
  }, 60_000);
});
