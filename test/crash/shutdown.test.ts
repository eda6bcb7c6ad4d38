import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, INTENT, startStack } from './stack-process.ts';

/**
 * Stopping `npm start` while producers run: the API stops taking requests (503 shutting_down) before the engines
 * behind it stop, so no caller ever sees a 500. SIGTERM to the process (systemd, docker stop) stops everything in
 * order; Ctrl-C reaches the whole process group, DynamoDB Local included, and a request under way then meets a
 * store that is gone: a 503 too.
 */
async function producers(url: string, stopAfter: () => boolean) {
  const statuses: number[] = [];
  const loop = async (n: number) => {
    for (let i = 0; ; i++) {
      const id = `shut-${n}-${i}`;
      try {
        const auth = { authorization: `Bearer ${INTENT}`, 'content-type': 'application/json' };
        const reg = await fetch(`${url}/intents`, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({ id }),
        });
        statuses.push(reg.status);
        await reg.arrayBuffer();
        const done = await fetch(`${url}/intents/${id}/complete`, { method: 'POST', headers: auth });
        statuses.push(done.status);
        await done.arrayBuffer();
        const admin = await fetch(`${url}/admin/drain/status`, {
          headers: { authorization: `Bearer ${ADMIN}` },
        });
        statuses.push(admin.status);
        await admin.arrayBuffer();
      } catch {
        if (stopAfter()) return; // the server is gone: no answer is not a wrong answer
      }
    }
  };
  await Promise.all([0, 1, 2, 3].map(loop));
  return statuses;
}

const leftover = (dataDir: string): string => {
  try {
    return execFileSync('pgrep', ['-af', dataDir], { encoding: 'utf8' }).trim();
  } catch {
    return ''; // pgrep exits 1 when nothing matches
  }
};

describe('stopping the local stack while producers run', () => {
  it.each([
    ['SIGTERM to the process', 'SIGTERM', false],
    ['Ctrl-C (SIGINT to the process group)', 'SIGINT', true],
  ] as const)(
    '%s: every answer is 2xx, 4xx or 503, never a 500; nothing is left running',
    async (_n, signal, group) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ucp-shutdown-'));
      try {
        const stack = await startStack(dataDir);
        let signalled = false;
        const load = producers(stack.url, () => signalled);
        await new Promise((r) => setTimeout(r, 1500));
        const pid = stack.child.pid as number;
        process.kill(group ? -pid : pid, signal);
        signalled = true;
        const exit = await Promise.race([
          stack.exited,
          new Promise((r) => setTimeout(() => r(null), 30_000)),
        ]);
        const statuses = await load;
        if (!exit) stack.kill();
        const log = stack.output().slice(-3000);
        expect(exit, log).not.toBeNull();
        expect(statuses.filter((s) => s === 201).length, log).toBeGreaterThan(0);
        expect(
          statuses.filter((s) => s >= 500 && s !== 503),
          log,
        ).toEqual([]);
        expect(log).toContain('stopped cleanly');
        await new Promise((r) => setTimeout(r, 500));
        expect(leftover(dataDir)).toBe('');
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
