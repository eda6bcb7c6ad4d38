import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { checkJava, ensureDynamoDbLocal } from './dynamodb-local-install.ts';
import { freePort } from './free-port.ts';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface DynamoDbLocalOptions {
  /** Folder for the database file; in memory when omitted. */
  readonly dbPath?: string | undefined;
  readonly port?: number | undefined;
  readonly log?: (line: string) => void;
}

/** Starts the official DynamoDB Local emulator (a JVM) and resolves once it answers ListTables. */
export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  checkJava();
  const dir = ensureDynamoDbLocal(opts.log);
  const port = opts.port ?? (await freePort());
  const storage = opts.dbPath ? ['-dbPath', opts.dbPath] : ['-inMemory'];
  if (opts.dbPath) mkdirSync(opts.dbPath, { recursive: true });
  const args = [
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-Xmx1g',
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    ...storage,
    '-sharedDb',
    '-disableTelemetry',
  ];
  // The JVM starts with SIGINT and SIGTERM ignored (it keeps an ignored shutdown signal ignored): Ctrl-C reaches the
  // whole process group, and a service manager may signal every process of the stack at once, but the store must
  // outlive the API in front of it. The stack stops it last, with SIGHUP (stop below); SIGKILL still ends it.
  const child = spawn('/bin/sh', ['-c', 'trap "" INT TERM; exec "$0" "$@"', 'java', ...args], {
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (b: Buffer) => {
    output = (output + b.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  if (child.pid) watchParent(child.pid);
  let stopping = false;
  child.once('exit', (code, signal) => {
    if (!stopping) opts.log?.(`DynamoDB Local exited unexpectedly (${signal ?? `code ${code}`})`);
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const stop = () => {
    stopping = true;
    return stopChild(child);
  };
  try {
    await waitUntilReady(endpoint, child);
  } catch (err) {
    await stop();
    throw new Error(`DynamoDB Local did not start on port ${port}: ${(err as Error).message}\n${output}`);
  }
  return { endpoint, pid: child.pid ?? -1, stop };
}

async function waitUntilReady(endpoint: string, child: ChildProcess): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const until = Date.now() + 60_000;
  try {
    while (Date.now() < until) {
      if (child.exitCode !== null) throw new Error(`java exited with code ${child.exitCode}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 150));
      }
    }
    throw new Error('no answer within 60 s');
  } finally {
    client.destroy();
  }
}

/** SIGHUP (the shutdown signal the JVM still heeds), then SIGKILL after 5 s: no stray JVM is left behind. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      done();
    });
    child.kill('SIGHUP');
  });
}

/**
 * A detached watchdog that ends the JVM if this Node process dies without stopping it (SIGKILL, a crash, a parent
 * that does not forward signals), so no stray DynamoDB Local is left holding its port and data folder.
 */
function watchParent(javaPid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 ${javaPid} 2>/dev/null; do sleep 1; done; kill -HUP ${javaPid} 2>/dev/null; sleep 5; kill -9 ${javaPid} 2>/dev/null; exit 0`;
  spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' }).unref();
}
