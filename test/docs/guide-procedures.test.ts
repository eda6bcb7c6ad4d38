import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChainRpc, startChainRpc } from '../../local/engines/chain-rpc/rpc-server.ts';
import { CosmjsChain } from '../../shared/adapters/chain/cosmjs-chain.ts';
import { SimulatedChain } from '../../shared/adapters/chain/simulated-chain.ts';
import { settlementWasm } from '../chain/fixtures.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { eventually } from '../support/upgrade.ts';

/**
 * The operations guide's two procedures (seed 000: "Single Instance Graceful Shutdown" and "Contract Migration"),
 * command by command as the guide writes them, through bash and curl against the local stack. Host and auth aside:
 * `http://localhost:8080` becomes the stack's URL and curl carries the admin token. The guide's `wasmd` commands
 * run against the simulated chain's CometBFT RPC endpoint (test/docs/guide-bin/wasmd, CosmJS); `systemctl`, `cp`
 * and `orchestrator` act on the operator's own host, so they only record that they ran, in order. The guide's
 * Rust steps (wait_for_drain) are the one wait the script adds: it polls until the upgrade waits for the operator.
 */
const ADMIN_MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const CHAIN_ID = 'guide-1';

const SINGLE_INSTANCE = String.raw`
curl http://localhost:8080/health
curl http://localhost:8080/admin/inflight | jq '.count'
curl -X POST http://localhost:8080/admin/upgrade/start \
  -H "Content-Type: application/json" \
  -d '{
    "reason": "Upgrading to v2.0.0",
    "drain_timeout_secs": 1800
  }'
curl -s http://localhost:8080/admin/drain/status | jq
WAIT_FOR_DRAIN
systemctl stop atom-intents-orchestrator
cp /path/to/new/orchestrator /usr/local/bin/orchestrator
orchestrator migrate --database-url $DATABASE_URL
systemctl start atom-intents-orchestrator
curl http://localhost:8080/health
curl -X POST http://localhost:8080/admin/drain/resume
`;

const CONTRACT_MIGRATION = String.raw`
curl -X POST http://localhost:8080/admin/upgrade/start \
  -d '{"reason": "Contract migration", "drain_timeout_secs": 3600}'
curl http://localhost:8080/admin/drain/status
WAIT_FOR_DRAIN
INFLIGHT=$(wasmd query wasm contract-state smart $CONTRACT_ADDR \
  '{"inflight_settlements": {"limit": 100}}' \
  --output json | jq '.data.count')
echo "Inflight settlements: $INFLIGHT"
MIGRATE_MSG='{
  "new_version": "2.0.0",
  "config": {
    "preserve_inflight": true,
    "stuck_settlement_action": {
      "extend_timeout": {
        "additional_seconds": 3600
      }
    },
    "extend_timeout_secs": 7200,
    "new_config": null
  }
}'
wasmd tx wasm migrate $CONTRACT_ADDR $NEW_CODE_ID "$MIGRATE_MSG" \
  --from admin \
  --gas auto \
  --gas-adjustment 1.3 \
  -y
wasmd query wasm contract-state smart $CONTRACT_ADDR \
  '{"migration_info": {}}' \
  --output json | jq
wasmd query wasm contract-state smart $CONTRACT_ADDR \
  '{"inflight_settlements": {}}' \
  --output json | jq '.data.count'
systemctl restart atom-intents-orchestrator
curl -X POST http://localhost:8080/admin/drain/resume
`;

let api: TestApi;
let rpc: ChainRpc;
let dir: string;
beforeAll(async () => {
  api = await startTestApi();
  rpc = await startChainRpc(SimulatedChain.create({ chainId: CHAIN_ID }), {
    chainId: CHAIN_ID,
    prefix: 'wasm',
  });
  dir = mkdtempSync(join(tmpdir(), 'guide-'));
});
afterAll(async () => {
  api.engine.stopAll();
  await api.stop();
  await rpc.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The guide's commands in bash: each curl's status and each host command logged, in order; stdout returned. */
async function runGuide(procedure: string, env: Record<string, string> = {}) {
  const statuses = join(dir, 'statuses');
  const host = join(dir, 'host');
  writeFileSync(statuses, '');
  writeFileSync(host, '');
  const prelude = [
    'set -eo pipefail',
    `curl() { local out; out=$(mktemp); command curl -sS -H "Authorization: Bearer $TOKEN" -o "$out" -w '%{http_code}\\n' "$@" >> "$STATUS_LOG"; cat "$out"; echo; rm -f "$out"; }`,
    'systemctl() { echo "systemctl $*" >> "$HOST_LOG"; }',
    'cp() { echo "cp $*" >> "$HOST_LOG"; }',
    'orchestrator() { echo "orchestrator $*" >> "$HOST_LOG"; }',
  ].join('\n');
  const wait = `until curl http://localhost:8080/admin/upgrade/status | grep -q 'Waiting for the operator'; do sleep 0.3; done`;
  const script = `${prelude}\n${procedure.replace('WAIT_FOR_DRAIN', wait)}`.replaceAll(
    'http://localhost:8080',
    api.url,
  );
  const bin = join(import.meta.dirname, 'guide-bin');
  const nodeBin = dirname(process.execPath);
  const res = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', ['-c', script], {
      env: {
        ...process.env,
        ...env,
        TOKEN: api.adminToken,
        STATUS_LOG: statuses,
        HOST_LOG: host,
        WASMD_NODE: rpc.url,
        WASMD_MNEMONIC: ADMIN_MNEMONIC,
        NODE_PATH: join(import.meta.dirname, '../../node_modules'),
        PATH: `${bin}:${nodeBin}:${process.env.PATH}`,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  expect(res.code, `${res.stderr}\n${res.stdout}`).toBe(0);
  const codes = readFileSync(statuses, 'utf8').trim().split('\n').map(Number);
  return { ...res, codes, host: readFileSync(host, 'utf8').trim().split('\n') };
}

const upgradeStatus = async () => (await api.admin('GET', '/admin/upgrade/status')).body;

describe("the operations guide's procedures, as written", () => {
  it('single instance graceful shutdown: drain, stop, deploy, start, resume; nothing admitted in between', async () => {
    expect((await api.intent('POST', '/intents', { id: 'guide-1', user_funds_locked: true })).status).toBe(
      201,
    );
    const run = runGuide(SINGLE_INSTANCE);
    // Step 1 promises that new intents get 503 while inflight ones finish.
    await eventually(async () => (await api.admin('GET', '/admin/drain/status')).body.mode === 'Draining');
    expect((await api.intent('POST', '/intents', { id: 'guide-refused' })).status).toBe(503);
    expect((await api.intent('POST', '/intents/guide-1/complete', {})).status).toBe(200);
    const done = await run;
    expect(
      done.codes.every((c) => c >= 200 && c < 300),
      done.codes.join(' '),
    ).toBe(true);
    expect(done.codes.at(2)).toBe(202); // upgrade/start
    expect(done.codes.at(-1)).toBe(202); // drain/resume: the upgrade's go-ahead
    expect(done.stdout).toMatch(/^1$/m); // the prerequisite's inflight count
    expect(done.host).toEqual([
      'systemctl stop atom-intents-orchestrator',
      'cp /path/to/new/orchestrator /usr/local/bin/orchestrator',
      'orchestrator migrate --database-url',
      'systemctl start atom-intents-orchestrator',
    ]);
    await eventually(async () => (await upgradeStatus()).state === 'succeeded');
    expect(await upgradeStatus()).toMatchObject({ from_version: '1.0.0', target_version: '1.0.0' });
    const after = await api.intent('POST', '/intents', { id: 'guide-after' });
    expect(after.status).toBe(201);
    expect((await api.intent('POST', '/intents/guide-after/complete', {})).status).toBe(200);
  });

  it('contract migration: drain, query, migrate, verify on chain, resume', async () => {
    const chain = new CosmjsChain(
      {
        rpcEndpoint: rpc.url,
        chainId: CHAIN_ID,
        prefix: 'wasm',
        gasPrice: '0.025ustake',
        broadcastPollMs: 100,
      },
      ADMIN_MNEMONIC,
    );
    const admin = await chain.signerAddress();
    const v1 = await chain.upload(settlementWasm(1));
    const v2 = await chain.upload(settlementWasm(2));
    const { address } = await chain.instantiate(v1.codeId, {}, 'settlement', { admin });
    for (const id of ['s-1', 's-2'])
      await chain.execute(address, {
        create_settlement: { id, user_funds_locked: true, solver_funds_locked: true, timeout_seconds: 600 },
      });
    const done = await runGuide(CONTRACT_MIGRATION, {
      CONTRACT_ADDR: address,
      NEW_CODE_ID: String(v2.codeId),
    });
    expect(
      done.codes.every((c) => c >= 200 && c < 300),
      done.codes.join(' '),
    ).toBe(true);
    expect(done.codes.at(0)).toBe(202); // no Content-Type, as the guide sends it
    expect(done.stdout).toContain('Inflight settlements: 2');
    expect(done.stdout).toMatch(/"current_version": "2.0.0"/);
    expect(done.stdout).toMatch(/"preserved_inflight_count": 2/);
    expect(done.host).toEqual(['systemctl restart atom-intents-orchestrator']);
    expect((await chain.contractInfo(address)).codeId).toBe(v2.codeId);
    await eventually(async () => (await upgradeStatus()).state === 'succeeded');
    await chain.disconnect();
  });
});
