import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../local/engines/free-port.ts';

const ROOT = join(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export const ADMIN = 'adm-crash';
export const INTENT = 'int-crash';

/** `npm start`'s entry point as a process group of its own (the runtime and its JVM), as an operator runs it. */
export interface StackProcess {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  output(): string;
  /** The time the crash hook fired, as the runtime logged it. */
  crashedAt(): number | null;
  /** Kills the whole group (cleanup). */
  kill(): void;
}

/**
 * Starts local/main.ts as `npm start` does (node with tsx's loader, no wrapper process that could kill it when it is
 * slow to take a signal) on a free port with this data folder, and waits for its banner.
 */
export async function startStack(dataDir: string, env: Record<string, string> = {}): Promise<StackProcess> {
  // The free port is found, then bound by the child: another process may take it in between (EADDRINUSE). Then the
  // stack never started, so it is started again on another port; anything else is a failure.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startStackOnce(dataDir, env);
    } catch (err) {
      if (attempt >= 3 || !/EADDRINUSE/.test((err as Error).message)) throw err;
    }
  }
}

async function startStackOnce(dataDir: string, env: Record<string, string>): Promise<StackProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'local/main.ts')], {
    cwd: ROOT,
    detached: true,
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      ADMIN_TOKEN: ADMIN,
      INTENT_TOKEN: INTENT,
      MIN_UPGRADE_INTERVAL_SECS: '0',
      WORKFLOW_POLL_INTERVAL_SECS: '1',
      SHUTDOWN_GRACE_MS: '2000',
      // The stack's DynamoDB Local JVM: these stacks live seconds, so a quick start beats peak JIT throughput
      // (the client compiler only, the serial collector; about a quarter off each crash case here).
      JAVA_TOOL_OPTIONS: '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (b: Buffer) => {
    out += b.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal, at: Date.now() })),
  );
  const proc: StackProcess = {
    child,
    url: `http://127.0.0.1:${port}`,
    exited,
    output: () => out,
    crashedAt: () => {
      const m = /crash at (\d+)/.exec(out);
      return m ? Number(m[1]) : null;
    },
    kill: () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    },
  };
  const until = Date.now() + 90_000;
  while (!/listening on/.test(out)) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > until) {
      proc.kill();
      throw new Error(`local stack did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return proc;
}

/** The sample backend's three replicas, in a separate process that outlives the stack's crashes. */
export async function startBackend(): Promise<{
  targets: { name: string; version_url: string }[];
  stop: () => void;
}> {
  // A process group of its own: tsx runs the script in a child node, and killing tsx alone left that child behind.
  const child = spawn(TSX, [join(ROOT, 'test/crash/backend-process.ts')], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // gone already
    }
  };
  let out = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const until = Date.now() + 30_000;
  while (!/TARGETS (.+)\n/.test(out)) {
    if (child.exitCode !== null || Date.now() > until) {
      stop();
      throw new Error(`sample backend did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const targets = JSON.parse(/TARGETS (.+)\n/.exec(out)?.[1] ?? '[]');
  return { targets, stop };
}

/** One HTTP call to the stack: status and JSON body. */
export async function call(
  s: { url: string },
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${s.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
