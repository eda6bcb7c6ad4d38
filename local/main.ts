import { resolve } from 'node:path';
import { CHAIN_RPC_URL_FILE } from './engines/local-chain.ts';

/** `npm start`: the embedded control plane on this machine, no AWS account needed. */
const dataDir = resolve(process.env.DATA_DIR ?? resolve(import.meta.dirname, '../.data'));
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 8080);
// The intent functions' function URLs (payload 2.0) on a port of their own: the next one unless FUNCTION_URL_PORT.
const functionUrlPort = Number(process.env.FUNCTION_URL_PORT ?? (port ? port + 1 : 0));
// Quiet by default: request logs and EMF metric lines are for Lambda; LOG_LEVEL=INFO shows them locally.
process.env.POWERTOOLS_LOG_LEVEL ??= process.env.LOG_LEVEL ?? 'WARN';
process.env.POWERTOOLS_METRICS_DISABLED ??= process.env.LOG_LEVEL === 'INFO' ? 'false' : 'true';
// Imported after the environment is set: the handlers' logger reads it when its module loads.
const { startLocalStack } = await import('./stack.ts');

const say = (line: string) => console.log(`[local] ${line}`);

const stack = await startLocalStack({ dataDir, host, port, functionUrlPort, log: say }).catch(
  (err: Error) => {
    console.error(`[local] could not start: ${err.message}`);
    process.exit(1);
  },
);

// The signal handlers before the banner: a stop that comes as soon as the stack says it listens is an orderly one.
let stopBackend: (() => Promise<unknown>) | null = null;
let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  say(
    `${signal}: shutting down (an upgrade under way stops at its next state and resumes at the next start)`,
  );
  await stack.stop(Number(process.env.SHUTDOWN_GRACE_MS ?? 3000));
  await stopBackend?.();
  say('stopped cleanly');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

say(`control plane listening on ${stack.url}`);
say(
  `intent function URLs (payload 2.0, as Lambda sends them; the intent token): ${stack.functionUrl} serves POST /intents, PATCH /intents/{id}, POST /intents/{id}/complete`,
);
say(`data folder: ${dataDir} (DynamoDB Local pid ${stack.dynamoPid} at ${stack.dynamoEndpoint})`);
say(`admin token:  ${stack.tokens.admin}`);
say(`intent token: ${stack.tokens.intent}`);
const names = Object.keys(stack.operators);
say(
  names.length
    ? `operators (own tokens in ${dataDir}/operators.json): ${names.join(', ')}`
    : 'no operators yet: OPERATORS=alice,bob,carol npm start gives each a token of their own (for approvals)',
);
if (process.env.APPROVERS) {
  say(
    `approvals on: ${process.env.APPROVAL_THRESHOLD ?? 2} of ${process.env.APPROVERS}; POST /admin/upgrade/start answers 403 approval_required (dry runs excepted)`,
  );
  say(
    `propose: curl -s -XPOST ${stack.url}/admin/proposals -H "Authorization: Bearer <your operator token>" ` +
      `-H 'Content-Type: application/json' -d '{"upgrade":{"target_version":"2.0.0","reason":"try it"},"description":"what changes"}' ` +
      '(then approve, wait out the timelock, execute: README "Approvals")',
  );
}
say(`console: ${stack.url}/console (read-only until you enter the admin token)`);
say(
  'operate it: npx ucp status | npx ucp upgrade start --target 2.0.0 --reason "try it" --watch (ucp --help)',
);
say(`or by hand: curl -s ${stack.url}/admin/drain/status -H "Authorization: Bearer ${stack.tokens.admin}"`);
say(
  `upgrade: curl -s -XPOST ${stack.url}/admin/upgrade/start -H "Authorization: Bearer ${stack.tokens.admin}" ` +
    `-H 'Content-Type: application/json' -d '{"target_version":"2.0.0","reason":"try it"}'`,
);
say(
  `then watch GET ${stack.url}/admin/upgrade/status (S3 server ${stack.s3Endpoint}; workflow runs in this process)`,
);

const c = stack.contracts;
say(
  `contracts: settlement ${c.settlement} (code ${c.v1CodeId}; v2 code ${c.v2CodeId}, sha256 ${c.v2Checksum}), ` +
    `escrow ${c.escrow} (code ${c.escrowV1CodeId}; v2 code ${c.escrowV2CodeId}, sha256 ${c.escrowV2Checksum})`,
);
say(
  `IBC: the chain's RPC ${stack.chainRpcUrl}; pending packets: ucp ibc pending (GET /admin/ibc/pending); ` +
    '`npm run demo:ibc` upgrades a stuck relayer with packets pending and verifies each one on chain',
);
const contracts = JSON.stringify([
  {
    name: 'escrow',
    address: c.escrow,
    new_code_id: c.escrowV2CodeId,
    expected_checksum: c.escrowV2Checksum,
    migrate_msg: {
      new_version: '2.0.0',
      config: { preserve_inflight: true, stuck_escrow_action: 'preserve' },
    },
  },
  {
    name: 'settlement',
    address: c.settlement,
    new_code_id: c.v2CodeId,
    expected_checksum: c.v2Checksum,
    migrate_msg: {
      new_version: '2.0.0',
      config: { preserve_inflight: true, stuck_settlement_action: 'preserve' },
    },
  },
]);
say(
  'contract upgrade (escrow, then settlement, v1 -> v2; locked escrows and inflight settlements preserved and verified):',
);
say(
  `curl -s -XPOST ${stack.url}/admin/upgrade/start -H "Authorization: Bearer ${stack.tokens.admin}" ` +
    `-H 'Content-Type: application/json' -d '{"target_version":"2.0.0","reason":"contracts v2","contracts":${contracts}}'`,
);

// SAMPLE_BACKEND=2 runs the seeds' three backend services (orchestrator, relayer, settlement-service), two replicas
// each, as a process of their own with fixed ports (from SAMPLE_SERVICES_PORT, default 7400) and their state in the
// data folder: like real services they outlive this process (a restart after kill -9 adopts them) and keep their
// versions. SAMPLE_BACKEND_FAIL=relayer/relayer-2 makes one replica fail its health check after a deploy.
const replicas = Number(process.env.SAMPLE_BACKEND ?? 0);
if (replicas > 0) {
  const { startSampleServices } = await import('./sample-services/sample-services.ts');
  const services = await startSampleServices({
    dir: resolve(dataDir, 'services'),
    basePort: Number(process.env.SAMPLE_SERVICES_PORT ?? 7400),
    services: ['orchestrator', 'relayer', 'settlement-service'].map((n) => `${n}:${replicas}`).join(','),
    version: process.env.INITIAL_VERSION ?? '1.0.0',
    chainRpcUrlFile: resolve(dataDir, CHAIN_RPC_URL_FILE),
  });
  if (process.env.SAMPLE_BACKEND_FAIL)
    await services.setFault(process.env.SAMPLE_BACKEND_FAIL, 'unhealthy_after_deploy');
  // Stopped with this process only if this process started them: adopted ones keep running, as they were.
  if (!services.adopted) stopBackend = services.stop;
  else
    stopBackend = async () =>
      say(
        `sample services left running (adopted): curl -XPOST http://127.0.0.1:${process.env.SAMPLE_SERVICES_PORT ?? 7400}/stop ends them`,
      );
  say(
    `sample services (${services.adopted ? 'adopted, already running' : `started, pid ${services.pid}`}): ` +
      Object.entries(services.targets)
        .map(([name, targets]) => `${name} ×${targets.length}`)
        .join(', '),
  );
  const section = Object.entries(services.targets).map(([name, targets]) => ({
    name,
    deploy: { mode: 'hooks', targets },
  }));
  say('a rolling upgrade of the relayer alone:');
  say(
    `curl -s -XPOST ${stack.url}/admin/upgrade/start -H "Authorization: Bearer ${stack.tokens.admin}" ` +
      `-H 'Content-Type: application/json' -d '{"target_version":"2.0.0","reason":"relayer","services":${JSON.stringify(section.filter((x) => x.name === 'relayer'))}}'`,
  );
  say('the whole system (both contracts, then the three services) in one upgrade:');
  say(
    `curl -s -XPOST ${stack.url}/admin/upgrade/start -H "Authorization: Bearer ${stack.tokens.admin}" ` +
      `-H 'Content-Type: application/json' -d '{"target_version":"2.0.0","reason":"whole system","contracts":${contracts},"services":${JSON.stringify(section)}}'`,
  );
}
