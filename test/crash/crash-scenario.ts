import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalContracts } from '../../local/engines/local-chain.ts';
import { ADMIN, call, INTENT, type StackProcess, startBackend, startStack } from './stack-process.ts';

/** One phase of the crash test: where the hook kills the stack, and how the upgrade must end. */
export interface CrashPhase {
  readonly name: string;
  /** UCP_CRASH_AT (see local/workflow/crash-hook.ts). */
  readonly at: string;
  readonly duringMs?: number;
  readonly deploy?: 'hooks' | 'manual';
  readonly expect: 'succeeded' | 'rolled_back';
  /** The saved executions are deleted before the restart: the upgrade cannot resume and must be recovered. */
  readonly lose?: boolean;
  /** The approval policy is on (2 of 3 operators, no timelock): the upgrade runs as an approved proposal. */
  readonly approved?: boolean;
  /** Only under SIGKILL (a graceful stop adds nothing there, and CI time is finite). */
  readonly killOnly?: boolean;
  /** The upgrade bakes after resume: `ok` with healthy triggers (health, intent_failures), `trips` on an alarm already in ALARM. */
  readonly bake?: 'ok' | 'trips';
  /** A maintenance upgrade (no target_version, no contract): it waits for the operator on the running version. */
  readonly maintenance?: boolean;
  /** The whole system: the escrow and settlement contracts, then two services (orchestrator: 2 replicas, relayer: 1). */
  readonly whole?: boolean;
  /** While the stack is down, the first replica is put back on 1.0.0 (restarted on the old image, say). */
  readonly replicaBack?: boolean;
  /** The updated intents carry IBC packets: the verification after resume must read each of them. */
  readonly ibc?: boolean;
}

const APPROVAL_ENV = {
  OPERATORS: 'alice,bob,carol',
  APPROVERS: 'alice,bob,carol',
  APPROVAL_THRESHOLD: '2',
  APPROVAL_TIMELOCK_SECS: '0',
};

/** Proposed by alice, approved by bob and carol over its hash, executed: what POST /admin/upgrade/start does without a policy. */
async function startApproved(stack: StackProcess, dataDir: string, upgrade: Record<string, unknown>) {
  const tokens = JSON.parse(readFileSync(join(dataDir, 'operators.json'), 'utf8')) as Record<string, string>;
  const p = await call(stack, 'POST', '/admin/proposals', tokens.alice as string, {
    upgrade,
    description: 'crash test under the approval policy',
  });
  if (p.status !== 201) throw new Error(`propose: ${p.status} ${JSON.stringify(p.body)}`);
  for (const who of ['bob', 'carol']) {
    const a = await call(
      stack,
      'POST',
      `/admin/proposals/${p.body.id as string}/approve`,
      tokens[who] as string,
      {
        config_sha256: p.body.config_sha256,
      },
    );
    if (a.status !== 200) throw new Error(`approve: ${a.status} ${JSON.stringify(a.body)}`);
  }
  // The approval check runs within milliseconds of the start: the hook may kill the stack before it answers.
  return call(stack, 'POST', `/admin/proposals/${p.body.id as string}/execute`, tokens.alice as string).catch(
    (err: Error) => {
      if (!/fetch failed/.test(err.message)) throw err;
      return { status: 202, body: { note: 'the stack crashed before answering' } };
    },
  );
}

/** What the crash test saw after the restart, with no admin call. */
export interface CrashOutcome {
  readonly crashed: boolean;
  readonly outcome: string;
  readonly mode: string;
  readonly version: string;
  readonly intentVersions: string[];
  /** Intents not on the control plane's version. */
  readonly offVersion: string[];
  readonly intentIds: string[];
  readonly expectedIds: string[];
  readonly updatesLost: string[];
  readonly contract: { codeId: number; version: string; expectedCodeId: number };
  /** The escrow contract, when the upgrade moved it too. */
  readonly escrow: { codeId: number; version: string; expectedCodeId: number } | null;
  readonly replicaVersions: string[];
  /** From the crash to the first 201 on POST /intents. */
  readonly refusedMs: number;
  /** The first GET /admin/upgrade/status after the restart: says resumed, recovering, or has ended. */
  readonly firstStatus: { state: string; next: string | null };
  /** How many packets the verification after resume read (null: it never ran). */
  readonly ibcChecked: number | null;
  readonly log: string;
}

const SEEDED = 60;
const ids = Array.from({ length: SEEDED }, (_, i) => `c-${String(i).padStart(3, '0')}`);
const patched = ids.filter((_, i) => i % 7 === 0);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());

/** The packet an updated intent waits for (no such packet on the embedded chain: read as timed out, before and after). */
const packetOf = (id: string) => ({
  source_port: 'transfer',
  source_channel: 'channel-0',
  sequence: 1000 + ids.indexOf(id),
  timeout_timestamp: String(BigInt(Date.now() + 86_400_000) * 1_000_000n),
});

async function seed(s: StackProcess, ibc = false): Promise<void> {
  for (let i = 0; i < ids.length; i += 20) {
    await Promise.all(
      ids.slice(i, i + 20).map(async (id) => {
        const r = await call(s, 'POST', '/intents', INTENT, { id, phase: 'Pending' });
        if (r.status !== 201) throw new Error(`seed ${id}: ${r.status} ${JSON.stringify(r.body)}`);
      }),
    );
  }
  for (const id of patched) {
    const r = await call(s, 'PATCH', `/intents/${id}`, INTENT, {
      phase: 'Matched',
      ibc_in_flight: true,
      ...(ibc ? { ibc_packets: [packetOf(id)] } : {}),
    });
    if (r.status !== 200) throw new Error(`patch ${id}: ${r.status}`);
  }
}

/** Polls until the upgrade has ended (reads only) and the first new intent is admitted. */
async function afterRestart(s: StackProcess, crashAt: number) {
  let refusedMs = -1;
  const probe = (async () => {
    for (;;) {
      const r = await call(s, 'POST', '/intents', INTENT, { id: 'probe' }).catch(() => ({ status: 0 }));
      if (r.status === 201) {
        refusedMs = Date.now() - crashAt;
        return;
      }
      await sleep(100);
    }
  })();
  const until = Date.now() + 90_000;
  let status: Record<string, unknown> = {};
  let first: Record<string, unknown> | null = null;
  for (;;) {
    const res = await call(s, 'GET', '/admin/upgrade/status', ADMIN);
    // A 503 (the restarted engines still warming up on a loaded machine) is an answer to retry, not a state.
    if (res.status === 200) {
      status = res.body;
      first ??= status;
      if (!['running', 'interrupted', 'recovering'].includes(String(status.state))) break;
    }
    if (Date.now() > until)
      throw new Error(`upgrade still running: ${JSON.stringify(status)}\n${s.output()}`);
    await sleep(200);
  }
  await Promise.race([probe, sleep(30_000)]);
  return { status, refusedMs, first: first ?? status };
}

/** The whole-system sections: both contracts (escrow first), then the backend's replicas as two services. */
function wholeSystem(contracts: LocalContracts, targets: readonly unknown[]) {
  const migrate_msg = { new_version: '2.0.0', config: { preserve_inflight: true } };
  return {
    contract: undefined,
    contracts: [
      {
        name: 'escrow',
        address: contracts.escrow,
        new_code_id: contracts.escrowV2CodeId,
        expected_checksum: contracts.escrowV2Checksum,
        migrate_msg,
      },
      {
        name: 'settlement',
        address: contracts.settlement,
        new_code_id: contracts.v2CodeId,
        expected_checksum: contracts.v2Checksum,
        migrate_msg,
      },
    ],
    services: [
      { name: 'orchestrator', deploy: { mode: 'hooks', targets: targets.slice(0, 2), max_parallel: 2 } },
      { name: 'relayer', deploy: { mode: 'hooks', targets: targets.slice(2) } },
    ],
  };
}

/** A replica restarted on the old version while the control plane was down (its deploy hook, called by hand). */
async function putBack(target: unknown): Promise<void> {
  const t = target as { deploy_url: string; version_url: string };
  await fetch(t.deploy_url, { method: 'POST', body: JSON.stringify({ version: '1.0.0' }) });
  for (let i = 0; i < 50; i++) {
    const { version } = (await (await fetch(t.version_url)).json()) as { version: string };
    if (version === '1.0.0') return;
    await sleep(100);
  }
  throw new Error('the replica did not go back to 1.0.0');
}

async function readChain(dataDir: string, address: string) {
  const { SimulatedChain } = await import('../../shared/adapters/chain/simulated-chain.ts');
  const { contractVersion } = await import('../../shared/upgrade/contract/contract-queries.ts');
  const chain = await SimulatedChain.load(readFileSync(join(dataDir, 'chain.json'), 'utf8'));
  return {
    codeId: (await chain.contractInfo(address)).codeId,
    version: await contractVersion(chain, address),
  };
}

/**
 * Starts the stack with the crash hook, seeds intents (some updated), starts an upgrade (with the settlement
 * contract, and replicas when asked), waits for the crash, restarts on the same data folder without the hook and,
 * with no admin call, waits for the upgrade to end; then reads where everything stands.
 */
export async function runCrash(phase: CrashPhase, signal: 'SIGKILL' | 'SIGTERM'): Promise<CrashOutcome> {
  await slot();
  try {
    return await crashOnce(phase, signal);
  } finally {
    release();
  }
}

/** At most CRASH_PARALLEL (default 3) runs at once: each has a JVM, and the machine has two cores. */
const parallel = Number(process.env.CRASH_PARALLEL ?? 3);
let running = 0;
const queue: (() => void)[] = [];
const slot = () =>
  running < parallel
    ? Promise.resolve(void running++)
    : new Promise<void>((r) => queue.push(() => r(void running++)));
const release = () => {
  running--;
  queue.shift()?.();
};

async function crashOnce(phase: CrashPhase, signal: 'SIGKILL' | 'SIGTERM'): Promise<CrashOutcome> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ucp-crash-'));
  const backend = phase.deploy === 'hooks' || phase.whole ? await startBackend() : null;
  let stack: StackProcess | null = null;
  try {
    const policy = phase.approved ? APPROVAL_ENV : {};
    stack = await startStack(dataDir, {
      ...policy,
      UCP_CRASH_AT: phase.at,
      UCP_CRASH_SIGNAL: signal,
      UCP_CRASH_DURING_MS: String(phase.duringMs ?? 40),
    });
    const contracts = JSON.parse(
      readFileSync(join(dataDir, 'chain-contracts.json'), 'utf8'),
    ) as LocalContracts;
    await seed(stack, phase.ibc);
    // The embedded runtime's alarm file (DATA_DIR/alarms.json): the bake trips at its first look.
    if (phase.bake === 'trips') writeFileSync(join(dataDir, 'alarms.json'), '{"ucp-bake-crash":"ALARM"}');
    const deploy =
      phase.deploy === 'hooks'
        ? { mode: 'hooks', targets: backend?.targets, stabilize_secs: 0 }
        : phase.deploy === 'manual'
          ? { mode: 'manual', deploy_timeout_secs: 6 }
          : undefined;
    const upgrade = phase.maintenance
      ? {
          reason: `crash test: ${phase.name}`,
          drain_timeout_secs: 2,
          force_after_timeout: true,
          rollback_retry_delay_secs: 0,
          deploy: { mode: 'manual', deploy_timeout_secs: 6 },
        }
      : {
          target_version: '2.0.0',
          reason: `crash test: ${phase.name}`,
          drain_timeout_secs: 2,
          force_after_timeout: true,
          rollback_retry_delay_secs: 0,
          contract: {
            address: contracts.settlement,
            new_code_id: contracts.v2CodeId,
            expected_checksum: contracts.v2Checksum,
            migrate_msg: {
              new_version: '2.0.0',
              config: { preserve_inflight: true, stuck_settlement_action: 'preserve' },
            },
          },
          ...(deploy ? { deploy } : {}),
          ...(phase.whole ? wholeSystem(contracts, backend?.targets ?? []) : {}),
          ...(phase.bake
            ? {
                bake: {
                  duration_secs: 4,
                  check_interval_secs: 1,
                  triggers:
                    phase.bake === 'ok'
                      ? [
                          { type: 'health', check: { name: 'settlement_store', type: 'dynamodb' } },
                          { type: 'intent_failures', max_pct: 5, min_samples: 1000 },
                        ]
                      : [{ type: 'alarm', names: ['ucp-bake-crash'] }],
                },
              }
            : {}),
        };
    const started = phase.approved
      ? await startApproved(stack, dataDir, upgrade)
      : await call(stack, 'POST', '/admin/upgrade/start', ADMIN, upgrade);
    if (started.status !== 202) throw new Error(`start: ${started.status} ${JSON.stringify(started.body)}`);
    const exit = await Promise.race([stack.exited, sleep(60_000).then(() => null)]);
    const crashed = exit !== null && stack.crashedAt() !== null;
    const crashAt = stack.crashedAt() ?? Date.now();
    let log = stack.output();
    if (!exit) stack.kill();
    if (phase.lose) rmSync(join(dataDir, 'executions'), { recursive: true, force: true });
    if (phase.replicaBack) await putBack(backend?.targets[0]);
    // The default version cache (10 s): the stamp must come from the fence gate, not from the cache.
    stack = await startStack(dataDir, policy);
    const { status, refusedMs, first } = await afterRestart(stack, crashAt);
    const drain = (await call(stack, 'GET', '/admin/drain/status', ADMIN)).body;
    const list = (await call(stack, 'GET', '/admin/inflight?limit=1000', ADMIN)).body.intents as Record<
      string,
      unknown
    >[];
    const replicaVersions = backend
      ? await Promise.all(
          backend.targets.map(
            async (t) => ((await (await fetch(t.version_url)).json()) as { version: string }).version,
          ),
        )
      : [];
    log += stack.output();
    const ended = stack.exited;
    stack.child.kill('SIGTERM');
    await ended;
    stack = null;
    const contract = await readChain(dataDir, contracts.settlement);
    const escrow = phase.whole && contracts.escrow ? await readChain(dataDir, contracts.escrow) : null;
    const version = String(drain.version);
    return {
      crashed,
      outcome: String(status.state),
      mode: String(drain.mode),
      version,
      intentVersions: [...new Set(list.map((i) => String(i.protocol_version)))],
      offVersion: list
        .filter((i) => i.protocol_version !== version)
        .map((i) => `${i.id}@${i.protocol_version}`),
      intentIds: list.map((i) => String(i.id)).sort(),
      expectedIds: [...ids, 'probe'].sort(),
      updatesLost: patched.filter((id) => {
        const i = list.find((x) => x.id === id);
        return i?.phase !== 'Matched' || i.ibc_in_flight !== true;
      }),
      contract: {
        ...contract,
        expectedCodeId: version === '2.0.0' ? contracts.v2CodeId : contracts.v1CodeId,
      },
      escrow: escrow && {
        ...escrow,
        expectedCodeId: (version === '2.0.0' ? contracts.escrowV2CodeId : contracts.escrowV1CodeId) ?? -1,
      },
      replicaVersions,
      refusedMs,
      firstStatus: { state: String(first.state), next: (first.next as string | null) ?? null },
      ibcChecked:
        (status.ibc_verification as { after_resume?: { checked: number } } | null)?.after_resume?.checked ??
        null,
      log,
    };
  } finally {
    stack?.kill();
    backend?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
