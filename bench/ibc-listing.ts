/**
 * GET /admin/ibc/pending at scale: 100,000 inflight intents of which 1% carry IBC packets, listed page by page
 * (limit 100) two ways on the same DynamoDB Local: the filtered Scan of the intents table the listing used before
 * (kept here only, as the baseline) and the project's Query of the sparse packet index. Prints, for each, the read
 * capacity units consumed (ReturnConsumedCapacity, billed as on AWS), the pages and the wall time, and the ratio
 * project/baseline; and the write units an intent costs with and without packets (the index must add none to the
 * ones without). BENCH_INTENTS, BENCH_PACKET_SHARE and BENCH_DDB=memory change the setup.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../local/engines/dynamodb-local.ts';
import { meterCapacity } from './capacity-meter.ts';

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const INTENTS = Number(process.env.BENCH_INTENTS ?? 100_000);
const SHARE = Number(process.env.BENCH_PACKET_SHARE ?? 0.01);
const LIMIT = 100;

const ddbDir = mkdtempSync(join(tmpdir(), 'bench-ddb-'));
const memory = process.env.BENCH_DDB === 'memory';
const ddb = await startDynamoDbLocal(memory ? {} : { dbPath: ddbDir });
console.log(`DynamoDB Local ${memory ? 'in memory' : 'on disk (as npm start)'}`);
try {
  const { loadConfig } = await import('../shared/config.ts');
  const { buildCorePlane } = await import('../shared/core-plane.ts');
  const { ensureLocalTables } = await import('../shared/adapters/dynamodb/bootstrap.ts');
  const { intentToItem } = await import('../shared/adapters/dynamodb/intent-item.ts');
  const { shardOf } = await import('../shared/domain/inflight.ts');
  const config = loadConfig({
    ...process.env,
    DYNAMODB_ENDPOINT: ddb.endpoint,
    TABLE_PREFIX: 'bench',
    AUTH_MODE: 'token',
    ADMIN_TOKEN: 'bench-admin',
    INTENT_TOKEN: 'bench-intent',
  });
  await ensureLocalTables(ddb.endpoint, config.tables);
  const cp = buildCorePlane(config);
  await cp.init();
  const db = cp.db;
  const meter = meterCapacity(db);

  // The intents, written directly (BatchWrite, 25 a call, 8 calls at a time): every 1/SHARE-th carries packets.
  const every = Math.round(1 / SHARE);
  const now = Date.now();
  const item = (n: number) => {
    const id = `bench-${String(n).padStart(6, '0')}`;
    const packets =
      n % every === 0
        ? [
            {
              source_port: 'transfer',
              source_channel: `channel-${n % 3}`,
              sequence: n + 1,
              destination_chain: 'osmosis-1',
              timeout_timestamp: String(BigInt(now + 3_600_000) * 1_000_000n),
            },
          ]
        : undefined;
    return intentToItem(
      {
        id,
        phase: 'Pending',
        user_funds_locked: n % 2 === 0,
        solver_funds_locked: false,
        ibc_in_flight: packets !== undefined,
        ...(packets ? { ibc_packets: packets } : {}),
        protocol_version: '1.0.0',
        created_at: now - 60_000,
        updated_at: now - 60_000,
      },
      shardOf(id, config.shardCount),
    );
  };
  const write = async (ns: number[]) => {
    const batches: number[][] = [];
    for (let i = 0; i < ns.length; i += 25) batches.push(ns.slice(i, i + 25));
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let b = batches.shift(); b; b = batches.shift())
          await batchWrite(db, config.tables.intents, b.map(item));
      }),
    );
    return performance.now() - t0;
  };
  const all = Array.from({ length: INTENTS }, (_, n) => n);
  const carriers = all.filter((n) => n % every === 0);
  meter.reset();
  const plainMs = await write(all.filter((n) => n % every !== 0));
  const plainWcu = meter.totals.write / (INTENTS - carriers.length);
  meter.reset();
  await write(carriers);
  const carrierWcu = meter.totals.write / carriers.length;
  console.log(
    `${INTENTS} intents written in ${(plainMs / 1000).toFixed(1)} s; ${carriers.length} carry packets (${SHARE * 100}%)`,
  );
  console.log(
    `  write units per intent: without packets ${plainWcu.toFixed(2)} WCU, with packets ${carrierWcu.toFixed(2)} WCU (table + index)`,
  );

  /** Lists every pending intent page by page; returns the metered figures and the ids seen. */
  const run = async (
    page: (cursor: string | undefined) => Promise<{ ids: string[]; next: string | undefined }>,
  ) => {
    meter.reset();
    const t0 = performance.now();
    const ids: string[] = [];
    let pages = 0;
    let cursor: string | undefined;
    do {
      const p = await page(cursor);
      pages++;
      ids.push(...p.ids);
      cursor = p.next;
    } while (cursor);
    // The fence read each page makes (TransactGetItems, the admission cutoffs) is the same either way: apart.
    const fence = meter.totals.byCommand.TransactGetItems ?? 0;
    return { rcu: meter.totals.read - fence, fence, pages, ms: performance.now() - t0, ids };
  };
  const baseline = await run((cursor) => scanPage(db, config.tables.intents, cursor));
  const project = await run(async (cursor) => {
    const p = await cp.inflight.list({ with_packets: true, limit: LIMIT, cursor });
    return { ids: p.intents.map((i) => i.id), next: p.nextCursor ?? undefined };
  });
  const same = JSON.stringify([...baseline.ids].sort()) === JSON.stringify([...project.ids].sort());
  const fmt = (name: string, r: typeof baseline) =>
    `  ${name.padEnd(22)} ${r.rcu.toFixed(1).padStart(9)} RCU  ${String(r.pages).padStart(5)} pages  ${r.ids.length} intents  ${(r.ms / 1000).toFixed(2).padStart(7)} s`;
  console.log(`\nevery pending intent, page by page (limit ${LIMIT}), ${config.shardCount} shards:`);
  console.log(fmt('baseline: table Scan', baseline));
  console.log(fmt('project: index Query', project));
  console.log(
    `  (apart from these, each page of the listing reads the fence: ${(project.fence / project.pages).toFixed(1)} RCU a page, the same before and after)`,
  );
  console.log(
    `  ratio project/baseline: ${(project.rcu / baseline.rcu).toFixed(4)} of the read units, ${(project.ms / baseline.ms).toFixed(3)} of the time; same intents: ${same}`,
  );
  cp.db.destroy();
  if (!same) process.exitCode = 1;
} finally {
  await ddb.stop();
  rmSync(ddbDir, { recursive: true, force: true });
}

/** One BatchWrite of up to 25 Puts, retried until nothing is left unprocessed. */
async function batchWrite(db: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]) {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  while (requests.length) {
    const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
    requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
  }
}

/**
 * The listing as it was before the index (intent-store.ts, scanPage): a strongly consistent Scan of the whole table
 * filtered to intents with packets, at least 200 items a call, at most 50 calls a page, resuming after the last
 * intent returned. (No fence is closed here, so nothing is left out as unadmitted.)
 */
async function scanPage(db: DynamoDBDocumentClient, table: string, cursor: string | undefined) {
  const ids: string[] = [];
  let key = cursor ? (JSON.parse(cursor) as Record<string, unknown>) : undefined;
  let lastKept: Record<string, unknown> | undefined;
  for (let reads = 0; reads < 50; reads++) {
    const out = await db.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        Limit: Math.max(LIMIT - ids.length, 200),
        ExclusiveStartKey: key,
        FilterExpression: 'attribute_not_exists(smoke_test) AND size(ibc_packets) > :zero',
        ExpressionAttributeValues: { ':zero': 0 },
      }),
    );
    key = out.LastEvaluatedKey;
    for (const item of out.Items ?? []) {
      if (ids.length === LIMIT) {
        key = lastKept;
        break;
      }
      ids.push(String(item.id));
      lastKept = { shard: item.shard, id: item.id };
    }
    if (!key || ids.length === LIMIT) break;
  }
  return { ids, next: key ? JSON.stringify({ shard: key.shard, id: key.id }) : undefined };
}
