/**
 * `npm run demo:ibc`: seed 001's fourth failure, IBC packet loss, avoided. The embedded control plane and its
 * simulated chain; a sample relayer (one replica, stuck on 1.0.0: it relays nothing until replaced); the escrow
 * contract releases three escrows to solvers on the counterparty, each an IBC transfer whose packet stays pending.
 * Prints the pending packets, upgrades the relayer to 2.0.0, and prints what the verification read on chain for each
 * packet after the resume: relayed, none lost. Exits 1 if a packet was not relayed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sentPacket } from '../shared/chain/sent-packet.ts';
import { stackClient } from './stack-client.ts';

process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
process.env.TABLE_PREFIX ??= 'demo';
const { startLocalStack } = await import('./stack.ts');
const { freePort } = await import('./engines/free-port.ts');
const { startSampleBackend } = await import('./sample-backend.ts');

const dataDir = mkdtempSync(join(tmpdir(), 'ucp-demo-ibc-'));
const stack = await startLocalStack({ dataDir, host: '127.0.0.1', port: await freePort() });
const relayer = await startSampleBackend({
  replicas: 1,
  version: '1.0.0',
  restartMs: 500,
  faults: { 'replica-1': 'not_relaying' },
  relay: { rpcUrl: stack.chainRpcUrl },
});
const { admin, intent } = stackClient(stack);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const chain = stack.env.overrides.chain?.();
if (!chain) throw new Error('the embedded stack has no chain');
const { escrow } = JSON.parse(readFileSync(join(dataDir, 'chain-contracts.json'), 'utf8')) as {
  escrow: string;
};
const me = await chain.signerAddress();
for (const id of ['ibc-1', 'ibc-2', 'ibc-3']) {
  const solver = 'wasm1qgpqyqszqgpqyqszqgpqyqszqgpqyqszftkw0p';
  await chain.execute(escrow, {
    lock: { id, user: me, solver, user_amount: '1000', solver_bond: '250', timeout_seconds: 3600 },
  });
  const out = await chain.execute(escrow, {
    release: { id, ibc: { channel_id: 'channel-0', to_address: 'cosmos1solver', timeout_seconds: 1800 } },
  });
  const packet = sentPacket(out.events);
  if (!packet) throw new Error(`the release of ${id} sent no IBC packet`);
  await intent('POST', '/intents', { id: `intent-${id}`, ibc_packets: [packet] });
}
const pending = (await admin('GET', '/admin/ibc/pending')).body.packets as Record<string, unknown>[];
console.log(`pending IBC packets (GET /admin/ibc/pending), the relayer 1.0.0 stuck:`);
for (const p of pending)
  console.log(
    `  ${p.source_port}/${p.source_channel}/${p.sequence}  intent ${p.intent_id}  ${p.time_left_secs} s left`,
  );
const started = await admin('POST', '/admin/upgrade/start', {
  target_version: '2.0.0',
  reason: 'demo: relayer 2.0.0',
  drain_timeout_secs: 2,
  force_after_timeout: true, // the three intents wait for their packets: the drain is forced after 2 s
  ibc_verify_timeout_secs: 30,
  services: [
    { name: 'relayer', deploy: { mode: 'hooks', targets: relayer.targets, replica_timeout_secs: 10 } },
  ],
});
console.log(
  `POST /admin/upgrade/start -> ${started.status} ${String(started.body.upgrade_id ?? started.body.message)}`,
);
let status: Record<string, unknown> = { state: 'running' };
let last = '';
do {
  await sleep(300);
  const read = await admin('GET', '/admin/upgrade/status');
  if (read.status !== 200) continue; // a busy machine: a 503 is an answer to retry
  status = read.body;
  if (status.current_step !== last) console.log(`  ${String(status.current_step)}`);
  last = String(status.current_step);
} while (status.state === 'running');
type Verified = {
  checked: number;
  relayed: number;
  pending: number;
  timed_out: number;
  packets: { packet: string; status: string; detail: string }[];
};
const v = (status.ibc_verification as { after_resume?: Verified } | null)?.after_resume;
console.log(`upgrade ${String(status.state)}; relayer now ${JSON.stringify(relayer.versions())}`);
console.log(
  `verified on chain after resume: ${v?.checked} packets, ${v?.relayed} relayed, ${v?.pending} pending, ${v?.timed_out} timed out`,
);
for (const p of v?.packets ?? []) console.log(`  ${p.packet}: ${p.status} (${p.detail})`);
await relayer.stop();
await stack.stop();
rmSync(dataDir, { recursive: true, force: true });
process.exit(status.state === 'succeeded' && v && v.relayed === v.checked && v.checked === 3 ? 0 : 1);
