import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN, call, INTENT, type StackProcess, startStack } from './stack-process.ts';

/**
 * `kill -9` of `npm start` (the whole process group, its DynamoDB Local included) in each phase of a protocol
 * rollout, then a start on the same data folder: the rollout goes on from its stored record and ends removed, with
 * every intent converted once and none lost. Ticks are fast here (PROTOCOL_TICK_MS) and small (a 100 ms budget), so
 * the kill in the migration phase lands in the middle of the conversion.
 */
const SETTINGS = {
  PROTOCOL_TICK_MS: '200',
  PROTOCOL_TICK_BUDGET_MS: '100',
  VERSION_CACHE_MS: '200',
  FENCE_CLOCK_SKEW_MS: '100',
};
const INTENTS = 300;

let stack: StackProcess | undefined;
let dataDir: string | undefined;
afterEach(() => {
  stack?.kill();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  stack = undefined;
  dataDir = undefined;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a crash of the local stack during a protocol rollout', () => {
  it('SIGKILL in the parallel, migration and deprecation phases: it goes on after each restart and ends removed', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ucp-protocol-crash-'));
    const dir = dataDir;
    stack = await startStack(dir, SETTINGS);
    const admin = (method: string, path: string, body?: unknown) =>
      call(stack as StackProcess, method, path, ADMIN, body);
    for (let n = 0; n < INTENTS; n += 20)
      await Promise.all(
        Array.from({ length: 20 }, (_, k) =>
          call(stack as StackProcess, 'POST', '/intents', INTENT, { id: `pc-${n + k}` }),
        ),
      );
    const started = await admin('POST', '/admin/protocol/rollouts', {
      from: '1.0.0',
      to: '2.0.0',
      parallel_secs: 2,
      deprecation_secs: 3,
      reason: 'crash in each phase',
    });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = String(started.body.id);
    const read = async () => (await admin('GET', `/admin/protocol/rollouts/${id}`)).body;
    const killed: Record<string, unknown>[] = [];
    for (const phase of ['parallel', 'migration', 'deprecation']) {
      const until = Date.now() + 60_000;
      let r = await read();
      while (r.phase !== phase && Date.now() < until) {
        await sleep(50);
        r = await read();
      }
      expect(r.phase).toBe(phase);
      stack.kill();
      await stack.exited;
      killed.push(r);
      stack = await startStack(dir, SETTINGS);
    }
    // Killed mid-conversion, the migration had converted some intents, not all.
    const mid = killed[1]?.conversion as { converted: number; done: boolean };
    expect(mid.done).toBe(false);
    const until = Date.now() + 90_000;
    let r = await read();
    while (r.phase !== 'removed' && Date.now() < until) {
      await sleep(200);
      r = await read();
    }
    expect(r.phase, JSON.stringify(r)).toBe('removed');
    const migration = (r.history as { phase: string; converted_before?: { converted: number } }[]).find(
      (h) => h.phase === 'deprecation',
    );
    expect(migration?.converted_before?.converted).toBe(INTENTS);
    const listed = (await admin('GET', '/admin/inflight?limit=500')).body;
    expect(listed.count).toBe(INTENTS);
    const versions = new Set(
      (listed.intents as { protocol_version: string }[]).map((i) => i.protocol_version),
    );
    expect([...versions]).toEqual(['2.0.0']);
    const old = await call(stack, 'POST', '/intents', INTENT, { id: 'late-v1', protocol_version: '1.0.0' });
    expect(old.status).toBe(426);
  }, 300_000);
});
