import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ADMIN, INTENT, startStack } from './stack-process.ts';

/**
 * Stopping `npm start` while producers run: the API stops taking requests (503 shutting_down) and lets those under
 * way answer before the engines behind it stop, so no caller ever sees a 500, nor a store that is gone (a 503
 * store_unavailable). The signal may reach the stack alone (`kill`, docker stop) or its whole process group (Ctrl-C
 * in a terminal, a service manager stopping every process of the service): DynamoDB Local ignores it and is stopped
 * last, by the stack.
 */
interface Answer {
  readonly status: number;
  readonly error: unknown;
}

async function producers(url: string, stopAfter: () => boolean): Promise<Answer[]> {
  const answers: Answer[] = [];
  const note = async (res: Response) => {
    const text = await res.text();
    let error: unknown = null;
    try {
      error = (JSON.parse(text) as { error?: unknown }).error ?? null;
    } catch {
      error = text.slice(0, 200);
    }
    answers.push({ status: res.status, error });
  };
  const loop = async (n: number) => {
    for (let i = 0; ; i++) {
      const id = `shut-${n}-${i}`;
      try {
        const auth = { authorization: `Bearer ${INTENT}`, 'content-type': 'application/json' };
        await note(
          await fetch(`${url}/intents`, { method: 'POST', headers: auth, body: JSON.stringify({ id }) }),
        );
        await note(await fetch(`${url}/intents/${id}/complete`, { method: 'POST', headers: auth }));
        await note(
          await fetch(`${url}/admin/drain/status`, { headers: { authorization: `Bearer ${ADMIN}` } }),
        );
      } catch {
        if (stopAfter()) return; // the server is gone: no answer is not a wrong answer
      }
    }
  };
  await Promise.all([0, 1, 2, 3].map(loop));
  return answers;
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
    ['SIGTERM to the process group (a service manager)', 'SIGTERM', true],
    ['Ctrl-C (SIGINT to the process group)', 'SIGINT', true],
  ] as const)(
    '%s: every answer is 2xx, 4xx or 503 shutting_down, never a 500; the stack exits 0; nothing is left running',
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
          new Promise<null>((r) => setTimeout(() => r(null), 30_000)),
        ]);
        const answers = await load;
        if (!exit) stack.kill();
        const log = stack.output().slice(-3000);
        expect(exit, log).not.toBeNull();
        expect(exit?.code, log).toBe(0);
        expect(answers.filter((a) => a.status === 201).length, log).toBeGreaterThan(0);
        expect(
          answers.filter((a) => a.status >= 500 && !(a.status === 503 && a.error === 'shutting_down')),
          log,
        ).toEqual([]);
        expect(log).not.toContain('exited unexpectedly'); // the store outlived the API in front of it
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
