import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { adminServices } from '../lambdas/compose/admin-services.ts';
import { type Environment, environmentOf } from '../lambdas/compose/environment.ts';
import { proposalServices } from '../lambdas/compose/proposal-services.ts';
import { protocolServices } from '../lambdas/compose/protocol-services.ts';
import { CosmjsIbcReader } from '../shared/adapters/chain/cosmjs-ibc-reader.ts';
import { ensureLocalTables } from '../shared/adapters/dynamodb/bootstrap.ts';
import { loadConfig } from '../shared/config.ts';
import { fileAlarmSource } from '../shared/upgrade/bake/alarm-source.ts';
import { type ApiGateway, startApiGateway } from './api-gateway.ts';
import type { ChainRpc } from './engines/chain-rpc/rpc-server.ts';
import { type DynamoDbLocal, startDynamoDbLocal } from './engines/dynamodb-local.ts';
import { type LocalContracts, startLocalChain } from './engines/local-chain.ts';
import { type LocalS3, startLocalS3 } from './engines/s3-server.ts';
import { startProtocolTicker } from './protocol-ticker.ts';
import { resolveOperators, resolveTokens, type Tokens } from './tokens.ts';
import { LocalScheduleStore } from './workflow/local-schedule-store.ts';
import { LocalWorkflowEngine } from './workflow/local-workflow-engine.ts';

export interface LocalStackOptions {
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** The port of the intent functions' function URLs (payload 2.0; 0: any free port). */
  readonly functionUrlPort?: number;
  readonly log?: (line: string) => void;
}

export interface LocalStack {
  readonly url: string;
  /** The intent routes as their Lambda function URLs serve them (payload 2.0 events, the same handlers). */
  readonly functionUrl: string;
  readonly tokens: Tokens;
  /** Operators' own tokens (name -> token), from the data folder's operators.json and OPERATORS. */
  readonly operators: Readonly<Record<string, string>>;
  readonly dynamoEndpoint: string;
  readonly dynamoPid: number;
  readonly s3Endpoint: string;
  readonly engine: LocalWorkflowEngine;
  /** The stack's composition root: its configuration and the local ports (interpreter, timers, chain, alarms). */
  readonly env: Environment;
  /** The settlement contract (v1) and the uploaded v2 on the simulated chain. */
  readonly contracts: LocalContracts;
  /** The simulated chain's CometBFT RPC endpoint (IBC queries; the sample relayer relays through it). */
  readonly chainRpcUrl: string;
  /** Refuses new requests (503), lets those under way answer, stops at a state boundary (Tasks under way get `graceMs`), then the engines; interrupted upgrades resume at the next start. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * The embedded control plane: DynamoDB Local keeping its data under the data folder, the tables, and the
 * Lambda handlers served through the local API Gateway adapter.
 */
export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const log = opts.log ?? (() => {});
  const dataDir = resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const tokens = resolveTokens(dataDir);
  const operators = resolveOperators(dataDir);
  log(`starting DynamoDB Local (data in ${join(dataDir, 'dynamodb')})`);
  const ddb: DynamoDbLocal = await startDynamoDbLocal({ dbPath: join(dataDir, 'dynamodb'), log });
  let server: ApiGateway | undefined;
  let urls: ApiGateway | undefined;
  let s3: LocalS3 | undefined;
  let engine: LocalWorkflowEngine | undefined;
  let contracts: LocalContracts | undefined;
  let chainRpc: ChainRpc | undefined;
  let sweep: NodeJS.Timeout | undefined;
  let ticker: ReturnType<typeof startProtocolTicker> | undefined;
  let schedules: LocalScheduleStore | undefined;
  let env: Environment | undefined;
  try {
    const bucket = process.env.CHECKPOINT_BUCKET || 'ucp-checkpoints';
    s3 = await startLocalS3({ directory: join(dataDir, 's3'), bucket });
    log(`S3 server on ${s3.endpoint} (checkpoints in ${join(dataDir, 's3')})`);
    // The local settings over the process's own: passed as the configuration, never written to process.env.
    const config = loadConfig({
      ...process.env,
      S3_ENDPOINT: s3.endpoint,
      CHECKPOINT_BUCKET: bucket,
      WORKFLOW_POLL_INTERVAL_SECS: process.env.WORKFLOW_POLL_INTERVAL_SECS || '1',
      DYNAMODB_ENDPOINT: ddb.endpoint,
      // DynamoDB Local is a JVM on the same machine: slower than DynamoDB at first, so a longer request timeout.
      DYNAMODB_REQUEST_TIMEOUT_MS: process.env.DYNAMODB_REQUEST_TIMEOUT_MS || '10000',
      AUTH_MODE: 'token',
      ADMIN_TOKEN: tokens.admin,
      INTENT_TOKEN: tokens.intent,
      OPERATOR_TOKENS: JSON.stringify(operators),
    });
    const local = await startLocalChain(dataDir, { rpcPort: Number(process.env.CHAIN_RPC_PORT ?? 0) });
    chainRpc = local.rpc;
    const ibcReader = new CosmjsIbcReader(local.rpc.url);
    let localEngine: LocalWorkflowEngine | undefined;
    const localOnly = <T>(port: T | undefined, what: string) => {
      if (!port) throw new Error(`the local ${what} is not running yet`);
      return port;
    };
    env = environmentOf(config, {
      workflowEngine: () => localOnly(localEngine, 'workflow engine'),
      scheduleStore: () => localOnly(schedules, 'scheduler'),
      chain: () => local.chain,
      ibc: () => ibcReader,
      // The bake's alarm triggers read this file locally ({"<alarm>": "ALARM" | "OK"}); CloudWatch on AWS.
      alarms: fileAlarmSource(process.env.LOCAL_ALARMS_FILE || join(dataDir, 'alarms.json')),
    });
    await ensureLocalTables(ddb.endpoint, config.tables);
    await adminServices(env).cp.init();
    contracts = local.contracts;
    log(
      `simulated CosmWasm chain (state in ${join(dataDir, 'chain.json')}, RPC ${local.rpc.url}); settlement contract ${contracts.settlement}`,
    );
    engine = await LocalWorkflowEngine.create({ dataDir, environment: env });
    localEngine = engine;
    const localEngineRef = engine;
    // Schedules are kept in the data folder and re-armed here: a restart does not lose them.
    schedules = new LocalScheduleStore(() => localEngineRef, {
      file: join(dataDir, 'schedules.json'),
      log,
    });
    for (const r of engine.resumeInterrupted()) {
      log(
        r.resumed
          ? `upgrade ${r.name} was interrupted; resuming it at "${r.state}"`
          : `upgrade ${r.name} was interrupted at "${r.state}" and cannot resume (${r.problem})`,
      );
    }
    await recoverLost(env, engine, log);
    server = await startApiGateway(env, opts.host, opts.port);
    // The function URLs' port when free, else any free one (the banner prints it): it is never worth failing a start.
    const asUrls = { payload: '2.0' } as const;
    const served = env;
    urls = await startApiGateway(served, opts.host, opts.functionUrlPort ?? 0, asUrls).catch(
      (err: unknown) => {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || !opts.functionUrlPort) throw err;
        log(`port ${opts.functionUrlPort} is taken: the function URLs take a free one`);
        return startApiGateway(served, opts.host, 0, asUrls);
      },
    );
    // What the per-minute rule does on AWS: announce ended timelocks and expired proposals (from stored times).
    const proposals = proposalServices(env);
    sweep = setInterval(() => void proposals.sweep().catch(() => {}), 30_000);
    sweep.unref();
    // The protocol rollouts' schedule (a per-minute rule on AWS): every second here (PROTOCOL_TICK_MS).
    ticker = startProtocolTicker(protocolServices(env), Number(process.env.PROTOCOL_TICK_MS || 1000), log);
  } catch (err) {
    server?.close();
    await chainRpc?.stop();
    await s3?.stop();
    await ddb.stop();
    throw err;
  }
  const rpc = chainRpc as ChainRpc;
  const urlOf = (s: ApiGateway) => {
    const address = s.address();
    const port = typeof address === 'object' && address ? address.port : opts.port;
    return `http://${opts.host === '0.0.0.0' ? '127.0.0.1' : opts.host}:${port}`;
  };
  const url = urlOf(server);
  // Where `ucp` finds this stack with no flags (it reads the tokens beside it).
  writeFileSync(join(dataDir, 'endpoint.json'), `${JSON.stringify({ url, pid: process.pid }, null, 2)}\n`);
  const running = [server, urls as ApiGateway];
  const localS3 = s3;
  const localEngine = engine;
  const stackEnv = env;
  return {
    url,
    functionUrl: urlOf(urls as ApiGateway),
    tokens,
    operators,
    dynamoEndpoint: ddb.endpoint,
    dynamoPid: ddb.pid,
    s3Endpoint: localS3.endpoint,
    engine: localEngine,
    env: stackEnv,
    contracts: contracts as LocalContracts,
    chainRpcUrl: rpc.url,
    async stop(graceMs = 3000) {
      clearInterval(sweep);
      await ticker?.stop();
      // In order: the API stops taking requests (503 shutting_down) and lets those under way answer, the workflow
      // stops at a state boundary (schedules disarmed), then the engines behind both stop. A request never meets a
      // stopped engine: DynamoDB Local ignores the Ctrl-C and SIGTERM meant for the stack (local/engines/dynamodb-local.ts).
      await Promise.all(running.map((s) => s.quiesce(graceMs)));
      schedules?.stop();
      for (const r of await localEngine.shutdown(graceMs)) {
        log(`upgrade ${r.name} interrupted at "${r.state}"; it resumes there at the next start`);
      }
      for (const s of running)
        await new Promise<void>((r) => {
          s.close(() => r());
          s.closeAllConnections();
        });
      log('API and workflow stopped; stopping the S3 server and DynamoDB Local');
      await rpc.stop();
      await localS3.stop();
      await ddb.stop();
    },
  };
}

/**
 * An upgrade that holds the lock with no execution running (its execution file lost, or it could not resume)
 * is recovered in the background at start: rolled back, or forward if its switch was durable; no admin call.
 */
async function recoverLost(
  env: Environment,
  engine: LocalWorkflowEngine,
  log: (line: string) => void,
): Promise<void> {
  const { cp } = adminServices(env);
  const holder = await cp.upgrade.upgrades.lockHolder();
  if (!holder) return;
  const record = await cp.upgrade.upgrades.get(holder);
  // No arn yet: the start was interrupted between the execution's start and its record; look it up by name.
  const arn = record?.execution_arn ?? `arn:aws:states:local:000000000000:execution:upgrade:${holder}`;
  const status = await engine.describe(arn).then(
    (d) => d.status,
    () => 'missing',
  );
  if (status === 'RUNNING') return;
  log(`upgrade ${holder} holds the lock but its execution is ${status}: recovering it in the background`);
  await engine.startRecovery({
    upgrade_id: holder,
    reason: `the runtime restarted and its execution was ${status}`,
    by_operator: false,
  });
}
