import { execFile } from 'node:child_process';
import { rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { stackDataDir } from '../support/ucp.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/ucp.mjs');
let api: TestApi;
let dir: string;

beforeAll(async () => {
  await run(process.execPath, [join(ROOT, 'cli/build.mjs')]);
  api = await startTestApi();
  dir = stackDataDir(api.url, api.adminToken);
});
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs ./bin/ucp.mjs as an operator does; UCP_TRACE=1 makes it say which program ran. */
const ucpBin = (env: Record<string, string> = {}, ...args: string[]) =>
  run(process.execPath, [BIN, '--data-dir', dir, ...args], { env: { ...process.env, ...env } });

describe('the prebuilt ucp (dist/ucp.mjs, built by npm ci)', () => {
  it('answers status from the bundle itself, as the sources do', async () => {
    const bundled = await run(process.execPath, [
      join(ROOT, 'dist/ucp.mjs'),
      '--data-dir',
      dir,
      '--json',
      'status',
    ]);
    expect(JSON.parse(bundled.stdout)).toMatchObject({ drain: { mode: 'Active' }, upgrade: null });
    const fromSource = await ucpBin({ UCP_FROM_SOURCE: '1' }, '--json', 'status');
    expect(JSON.parse(fromSource.stdout)).toEqual(JSON.parse(bundled.stdout));
  });

  it('bin/ucp.mjs runs the bundle while fresh, and the sources once a source is newer', async () => {
    const fresh = await ucpBin({ UCP_TRACE: '1' }, '--json', 'status');
    expect(fresh.stderr).toMatch(/running the prebuilt dist\/ucp.mjs/);
    const source = join(ROOT, 'cli/main.ts');
    const later = new Date(Date.now() + 60_000);
    utimesSync(source, later, later);
    try {
      const stale = await ucpBin({ UCP_TRACE: '1' }, '--json', 'status');
      expect(stale.stderr).toMatch(/running the TypeScript sources through tsx/);
      expect(JSON.parse(stale.stdout)).toMatchObject({ drain: { mode: 'Active' } });
    } finally {
      const now = new Date();
      utimesSync(source, now, now);
      await run(process.execPath, [join(ROOT, 'cli/build.mjs')]);
    }
  });
});
