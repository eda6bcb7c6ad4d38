import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { approvalEnv, OPERATORS } from '../support/operators.ts';
import { stackDataDir, ucp } from '../support/ucp.ts';

let api: TestApi;
let dir: string;
const run = (...args: string[]) => ucp('--data-dir', dir, ...args);

beforeAll(async () => {
  api = await startTestApi(approvalEnv(0));
  dir = stackDataDir(api.url, api.adminToken, OPERATORS);
});
afterAll(async () => {
  await api.stop();
  rmSync(dir, { recursive: true, force: true });
  for (const k of Object.keys(approvalEnv(0))) delete process.env[k];
});

const propose = async (target: string) => {
  const r = await run(
    'proposals',
    'propose',
    '--operator',
    'erin',
    '--target',
    target,
    '--reason',
    `to ${target}`,
    '--description',
    `ship ${target}`,
    '--json',
  );
  expect(r.code, r.stderr).toBe(0);
  return String(r.json?.id);
};

describe('ucp proposals (2 of alice, bob, carol; each with their own token from the data folder)', () => {
  it('propose, review and approve the shown hash, execute, and follow the upgrade to its end', async () => {
    const refused = await run('upgrade', 'start', '--target', '1.0.1', '--reason', 'direct');
    expect(refused.code).toBe(3); // 403: approvals are required
    expect(refused.stderr).toMatch(/approval_required/);
    const id = await propose('1.0.1');
    expect((await run('proposals', 'list', '--json')).json).toMatchObject({
      proposals: [{ id, state: 'pending' }],
    });
    const shown = await run('proposals', 'show', id);
    expect(shown.stdout).toMatch(/config_sha256:\s+[0-9a-f]{64}/);
    expect(shown.stdout).toMatch(/"target_version": "1\.0\.1"/);

    const shared = await run('proposals', 'approve', id, '--yes');
    expect(shared.code).toBe(3);
    expect(shared.stderr).toMatch(/personal_identity_required.*--operator <name>/);
    const unasked = await run('proposals', 'approve', id, '--operator', 'bob');
    expect(unasked.code).toBe(2); // no terminal to confirm on, and no --yes
    expect(unasked.stderr).toMatch(/review the config above, then approve with --yes/);
    expect(unasked.stderr).toMatch(/config_sha256/); // what would be approved is shown first

    const bob = await run('proposals', 'approve', id, '--operator', 'bob', '--yes', '--json');
    expect(bob.code, bob.stderr).toBe(0);
    const hash = (await api.admin('GET', `/admin/proposals/${id}`)).body.config_sha256;
    expect((await api.admin('GET', `/admin/proposals/${id}`)).body.approvals).toMatchObject([{ by: 'bob' }]);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await run('proposals', 'approve', id, '--operator', 'carol', '--yes')).code).toBe(0);
    expect((await run('proposals', 'list', '--state', 'executable', '--json')).json).toMatchObject({
      proposals: [{ id }],
    });
    const executed = await run('proposals', 'execute', id, '--json');
    expect(executed.code, executed.stderr).toBe(0);
    const upgradeId = String(executed.json?.upgrade_id);
    const watched = await run('upgrade', 'watch', upgradeId, '--interval', '200');
    expect(watched.code, watched.stdout).toBe(0);
    expect(watched.stdout).toMatch(/ended succeeded/);
    expect((await run('proposals', 'execute', id)).code).toBe(1); // 409: executed already
  });

  it('reject and cancel, each saying what the API answered', async () => {
    const vetoed = await propose('1.1.0');
    const noReason = await run('proposals', 'reject', vetoed, '--operator', 'alice');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/reason/);
    const rejected = await run(
      'proposals',
      'reject',
      vetoed,
      '--operator',
      'alice',
      '--reason',
      'not now',
      '--json',
    );
    expect(rejected.code, rejected.stderr).toBe(0);
    expect((await run('proposals', 'show', vetoed, '--json')).json).toMatchObject({ state: 'rejected' });
    const withdrawn = await propose('1.1.0');
    expect((await run('proposals', 'cancel', withdrawn, '--operator', 'erin', '--json')).code).toBe(0);
    expect((await run('proposals', 'show', withdrawn, '--json')).json).toMatchObject({ state: 'cancelled' });
    expect((await run('proposals', 'show', 'prop-nope')).code).toBe(2);
  });
});
