/**
 * Register + complete cycles through the producer client (client/: the fence in the producer's process) and the
 * local HTTP API, beside raw PutItem + DeleteItem pairs on the same DynamoDB Local in the same run; then the
 * registration alone through the client beside its two raw round trips (a PutItem and a strongly consistent
 * GetItem). Prints cycles/s, p50/p99 and the ratios to raw, and the capacity units a register and a complete
 * consume (ReturnConsumedCapacity, billed as on AWS).
 * Targets: HTTP >= 0.6 x raw at concurrency 32; the client's registration <= 1.2 x two raw round trips (p50, c=1 and
 * c=32); register + complete <= 2 WCU + 1 RCU.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { IntentClient } from '../client/index.ts';
import { startDynamoDbLocal } from '../local/engines/dynamodb-local.ts';
import { meterCapacity } from './capacity-meter.ts';
import { type Measurement, measure } from './measure.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const CYCLES = Number(process.env.BENCH_CYCLES ?? 1500);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8,32').split(',').map(Number);

// Disk-backed, as `npm start` runs it (BENCH_DDB=memory for the in-memory emulator); raw runs on the same one.
const ddbDir = mkdtempSync(join(tmpdir(), 'bench-ddb-'));
const ddb = await startDynamoDbLocal(process.env.BENCH_DDB === 'memory' ? {} : { dbPath: ddbDir });
console.log(`DynamoDB Local ${process.env.BENCH_DDB === 'memory' ? 'in memory' : 'on disk (as npm start)'}`);
try {
  const { loadConfig } = await import('../shared/config.ts');
  const { environmentOf } = await import('../lambdas/compose/environment.ts');
  const { coreServices } = await import('../lambdas/compose/core-services.ts');
  const env = environmentOf(
    loadConfig({
      ...process.env,
      DYNAMODB_ENDPOINT: ddb.endpoint,
      TABLE_PREFIX: 'bench',
      AUTH_MODE: 'token',
      ADMIN_TOKEN: 'bench-admin',
      INTENT_TOKEN: 'bench-intent',
    }),
  );
  const { ensureTables } = await import('../shared/adapters/dynamodb/bootstrap.ts');
  const { startApiGateway } = await import('../local/api-gateway.ts');
  const { config } = env;
  const cp = coreServices(env);
  const client = new DynamoDBClient({
    endpoint: ddb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 5,
  });
  await ensureTables(client, config.tables);
  await client.send(
    new CreateTableCommand({
      TableName: 'bench-raw',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    }),
  );
  await cp.init();
  const doc = DynamoDBDocumentClient.from(client);
  const server = await startApiGateway(env, '127.0.0.1', 0);
  // Idle keep-alive sockets outlive the other paths' cells: the server must not close one the agent reuses.
  server.keepAliveTimeout = 120_000;
  const port = (server.address() as { port: number }).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  let run = 0;
  const raw = (n: number) => async () => {
    const id = `raw-${run}-${n}`;
    await doc.send(
      new PutCommand({ TableName: 'bench-raw', Item: { id, phase: 'Pending', created_at: Date.now() } }),
    );
    await doc.send(new DeleteCommand({ TableName: 'bench-raw', Key: { id } }));
  };
  const producer = new IntentClient({ tablePrefix: 'bench', endpoint: ddb.endpoint, region: 'us-east-1' });
  const library = (n: number) => async () => {
    const id = `lib-${run}-${n}`;
    await producer.register({ id });
    await producer.complete(id);
  };
  // The registration alone, and its two raw round trips: a conditional Put and a strongly consistent Get.
  const registered: string[] = [];
  const registerOnly = (n: number) => async () => {
    const id = `reg-${run}-${n}`;
    await producer.register({ id });
    registered.push(id);
  };
  const rawTwo = (n: number) => async () => {
    const id = `raw2-${run}-${n}`;
    await doc.send(
      new PutCommand({
        TableName: 'bench-raw',
        Item: { id, phase: 'Pending', created_at: Date.now() },
        ConditionExpression: 'attribute_not_exists(id)',
      }),
    );
    await doc.send(new GetCommand({ TableName: 'bench-raw', Key: { id: 'gate' }, ConsistentRead: true }));
  };
  const http = (n: number) => async () => {
    const id = `http-${run}-${n}`;
    const created = await post(`/intents`, JSON.stringify({ id }));
    if (created !== 201) throw new Error(`register answered ${created}`);
    const done = await post(`/intents/${id}/complete`, '');
    if (done !== 200) throw new Error(`complete answered ${done}`);
  };
  const post = (path: string, body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          agent,
          headers: {
            authorization: 'Bearer bench-intent',
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const cycles = (
    make: (n: number) => () => Promise<void>,
    total: number,
    c: number,
  ): Promise<Measurement> => {
    run++;
    return measure(total, c, (n) => make(n)());
  };

  console.log(`warming up the JVM (${CYCLES} cycles of each path at concurrency 8)...`);
  await cycles(raw, CYCLES, 8);
  await cycles(library, CYCLES, 8);
  await cycles(http, CYCLES, 8);

  const fmt = (m: Measurement) =>
    `${m.opsPerSec.toFixed(0).padStart(6)}/s  p50 ${m.p50Ms.toFixed(1).padStart(5)} ms  p99 ${m.p99Ms.toFixed(1).padStart(6)} ms`;
  console.log(
    `\n${CYCLES} register+complete cycles per cell; raw = PutItem+DeleteItem pairs, measured before and after (mean)`,
  );
  for (const c of CONCURRENCY) {
    const before = await cycles(raw, CYCLES, c);
    const lib = await cycles(library, CYCLES, c);
    const api = await cycles(http, CYCLES, c);
    const after = await cycles(raw, CYCLES, c);
    const rawRate = (before.opsPerSec + after.opsPerSec) / 2;
    console.log(`c=${String(c).padEnd(3)} raw     ${fmt(before)}  (after: ${after.opsPerSec.toFixed(0)}/s)`);
    console.log(`      client  ${fmt(lib)}  ratio ${(lib.opsPerSec / rawRate).toFixed(2)} x raw`);
    console.log(`      http    ${fmt(api)}  ratio ${(api.opsPerSec / rawRate).toFixed(2)} x raw`);
  }
  console.log('\nthe registration alone: the client beside its two raw round trips (Put + consistent Get)');
  for (const c of [1, 32]) {
    const rawBefore = await cycles(rawTwo, CYCLES, c);
    const reg = await cycles(registerOnly, CYCLES, c);
    const rawAfter = await cycles(rawTwo, CYCLES, c);
    const rawP50 = (rawBefore.p50Ms + rawAfter.p50Ms) / 2;
    const ratio = reg.p50Ms / rawP50;
    console.log(
      `c=${String(c).padEnd(3)} raw     ${fmt(rawBefore)}  (after: p50 ${rawAfter.p50Ms.toFixed(1)} ms)`,
    );
    console.log(
      `      client  ${fmt(reg)}  latency ${ratio.toFixed(2)} x two raw round trips (goal <= 1.2: ${ratio <= 1.2 ? 'met' : 'NOT met'})`,
    );
    for (const id of registered.splice(0)) await producer.complete(id);
  }
  // Capacity, sequentially (the running version is cached as in production: one mode read per 10 s).
  const CAPACITY_CYCLES = 200;
  await cp.inflight.register({ id: 'capacity-warm' });
  const meter = meterCapacity(cp.db);
  for (let n = 0; n < CAPACITY_CYCLES; n++) await cp.inflight.register({ id: `capacity-${n}` });
  const register = { ...meter.totals };
  meter.reset();
  for (let n = 0; n < CAPACITY_CYCLES; n++) await cp.inflight.complete(`capacity-${n}`);
  const complete = { ...meter.totals };
  await cp.inflight.complete('capacity-warm');
  const per = (units: number) => (units / CAPACITY_CYCLES).toFixed(2);
  console.log(`\ncapacity units per intent (${CAPACITY_CYCLES} intents, ReturnConsumedCapacity):`);
  console.log(
    `  register  ${per(register.write)} WCU + ${per(register.read)} RCU   (transactional fence: 4 WCU + 0 RCU)`,
  );
  console.log(
    `  complete  ${per(complete.write)} WCU + ${per(complete.read)} RCU   (transactional fence: 1 WCU + 0 RCU)`,
  );
  console.log(
    `  per intent ${per(register.write + complete.write)} WCU + ${per(register.read + complete.read)} RCU   (was 5 WCU; target <= 2 WCU + 1 RCU)`,
  );
  const status = await cp.drain.status();
  console.log(`\nfinal inflight count ${status.inflight_count} (must be 0)`);
  producer.close();
  agent.destroy();
  server.close();
  client.destroy();
} finally {
  await ddb.stop();
  rmSync(ddbDir, { recursive: true, force: true });
}
