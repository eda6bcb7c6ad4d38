/**
 * Checkpoint of 100,000 inflight records from DynamoDB Local to the local S3 server, and the restore back, each in
 * its own process as its Lambda would run it:
 * - checkpoint records/s beside a raw parallel Scan of the same table in the same run (target >= 0.7 x);
 * - restore records/s beside a raw loop of conditional PutItems at the same concurrency (target >= 0.7 x);
 * - the peak RSS of each process (restore target under 200 MB).
 * Then the control plane's own overhead: how long intents are refused during an upgrade with no inflight work and a
 * no-op migration (target under 3 s locally).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { startDynamoDbLocal } from '../local/engines/dynamodb-local.ts';
import { freePort } from '../local/engines/free-port.ts';
import { startLocalS3 } from '../local/engines/s3-server.ts';
import { ensureTables } from '../shared/adapters/dynamodb/bootstrap.ts';
import { tableNamesFor } from '../shared/adapters/dynamodb/tables.ts';
import { RESTORE_CONCURRENCY } from '../shared/checkpoint/checkpoint-service.ts';
import { shardOf } from '../shared/domain/inflight.ts';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 100_000);
const SHARDS = 64;
const ddb = await startDynamoDbLocal();
const s3dir = mkdtempSync(join(tmpdir(), 'bench-s3-'));
const s3 = await startLocalS3({ bucket: 'bench', directory: s3dir });
try {
  const client = new DynamoDBClient({
    endpoint: ddb.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'l', secretAccessKey: 'l' },
  });
  const doc = DynamoDBDocumentClient.from(client);
  const tables = tableNamesFor('bench');
  await ensureTables(client, tables);

  console.log(`seeding ${RECORDS} inflight intents...`);
  const now = Date.now();
  const record = (n: number) => {
    const id = `bench-${n}`;
    return {
      shard: shardOf(id, SHARDS),
      id,
      phase: 'Settling',
      user_funds_locked: n % 2 === 0,
      solver_funds_locked: false,
      ibc_in_flight: n % 10 === 0,
      protocol_version: '1.0.0',
      created_at: now,
      updated_at: now,
    };
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let start = next; start < RECORDS; start = next) {
        next += 25;
        const items = Array.from({ length: Math.min(25, RECORDS - start) }, (_, k) => ({
          PutRequest: { Item: record(start + k) },
        }));
        let request: Record<string, typeof items> | undefined = { [tables.intents]: items };
        while (request && Object.keys(request).length) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: request }));
          request = out.UnprocessedItems as typeof request;
        }
      }
    }),
  );

  const rawScan = async () => {
    const t = performance.now();
    let n = 0;
    await Promise.all(
      Array.from({ length: 4 }, async (_, segment) => {
        let key: Record<string, unknown> | undefined;
        do {
          const out = await doc.send(
            new ScanCommand({
              TableName: tables.intents,
              ConsistentRead: true,
              Segment: segment,
              TotalSegments: 4,
              ExclusiveStartKey: key,
            }),
          );
          n += out.Items?.length ?? 0;
          key = out.LastEvaluatedKey;
        } while (key);
      }),
    );
    return n / ((performance.now() - t) / 1000);
  };
  await rawScan(); // warm the JVM
  const rawBefore = await rawScan();
  const env = {
    ...process.env,
    DYNAMODB_ENDPOINT: ddb.endpoint,
    S3_ENDPOINT: s3.endpoint,
    CHECKPOINT_BUCKET: 'bench',
    TABLE_PREFIX: 'bench',
    FENCE_SHARDS: String(SHARDS),
    AUTH_MODE: 'iam',
  };
  /** A raw restore: every record Put back on condition it exists, RESTORE_CONCURRENCY in flight. */
  const rawRestore = async () => {
    const t = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: RESTORE_CONCURRENCY }, async () => {
        for (let n = next++; n < RECORDS; n = next++)
          await doc.send(
            new PutCommand({
              TableName: tables.intents,
              Item: record(n),
              ConditionExpression: 'attribute_exists(id)',
            }),
          );
      }),
    );
    return RECORDS / ((performance.now() - t) / 1000);
  };
  // Asynchronously: the S3 server runs in this process and must keep serving the children.
  const worker = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(
      join('node_modules', '.bin', 'tsx'),
      ['bench/checkpoint-worker.ts', ...args],
      {
        env,
        encoding: 'utf8',
        maxBuffer: 10 * 1024 * 1024,
      },
    );
    return JSON.parse(stdout.trim().split('\n').pop() as string) as Record<string, number> & { id?: string };
  };
  const c = await worker('checkpoint');
  const rawAfter = await rawScan();
  const raw = (rawBefore + rawAfter) / 2;
  const putBefore = await rawRestore();
  const r = await worker('restore', String(c.id));
  const putAfter = await rawRestore();
  const rawPut = (putBefore + putAfter) / 2;
  const ckptRate = (c.records ?? 0) / (c.checkpoint_secs ?? 1);
  const restoreRate = (r.restored ?? 0) / (r.restore_secs ?? 1);
  console.log(
    `\nraw parallel Scan (4 segments): ${raw.toFixed(0)} records/s (before ${rawBefore.toFixed(0)}, after ${rawAfter.toFixed(0)})`,
  );
  console.log(
    `checkpoint: ${c.records} records in ${c.checkpoint_secs?.toFixed(1)} s = ${ckptRate.toFixed(0)} records/s, ratio ${(ckptRate / raw).toFixed(2)} x raw scan; ${((c.bytes ?? 0) / 1e6).toFixed(1)} MB gzip; peak RSS ${c.max_rss_mb?.toFixed(0)} MB`,
  );
  console.log(
    `(the worker's own bare pass over the records, for reference: ${c.bare_pass_records_per_sec?.toFixed(0)} records/s)`,
  );
  console.log(
    `raw conditional PutItem loop (${RESTORE_CONCURRENCY} in flight): ${rawPut.toFixed(0)} records/s (before ${putBefore.toFixed(0)}, after ${putAfter.toFixed(0)})`,
  );
  console.log(
    `restore:    ${r.restored} records in ${r.restore_secs?.toFixed(1)} s = ${restoreRate.toFixed(0)} records/s, ratio ${(restoreRate / rawPut).toFixed(2)} x raw Put loop (target >= 0.7; validated first, one conditional Put each)`,
  );
  console.log(
    `peak RSS of the restore process: ${r.max_rss_mb?.toFixed(0)} MB, ratio ${((r.max_rss_mb ?? 0) / 200).toFixed(2)} x the 200 MB target`,
  );
  client.destroy();
} finally {
  await s3.stop();
  await ddb.stop();
  rmSync(s3dir, { recursive: true, force: true });
}

// The control plane's own overhead: the refusal window of an upgrade with nothing inflight and a no-op migration.
process.env.POWERTOOLS_LOG_LEVEL = 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.MIN_UPGRADE_INTERVAL_SECS = '0';
const { startLocalStack } = await import('../local/stack.ts');
const dataDir = mkdtempSync(join(tmpdir(), 'bench-stack-'));
const stack = await startLocalStack({ dataDir, host: '127.0.0.1', port: await freePort() });
try {
  const post = (token: string, path: string, body: unknown) =>
    fetch(`${stack.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const windows: number[] = [];
  for (const [i, target] of ['1.0.1', '1.0.2'].entries()) {
    if (i === 1) break; // one no-op migration is registered (1.0.0 -> 1.0.1)
    let firstRefused: number | null = null;
    let lastRefused: number | null = null;
    let stop = false;
    const prober = (async () => {
      for (let n = 0; !stop; n++) {
        const t = Date.now();
        const res = await post(stack.tokens.intent, '/intents', { id: `probe-${i}-${n}` });
        if (res.status === 503) {
          firstRefused ??= t;
          lastRefused = Date.now();
        } else if (res.status === 201) {
          await post(stack.tokens.intent, `/intents/probe-${i}-${n}/complete`, {});
        }
        await res.arrayBuffer().catch(() => {});
      }
    })();
    await new Promise((r) => setTimeout(r, 500));
    const started = await post(stack.tokens.admin, '/admin/upgrade/start', {
      target_version: target,
      reason: 'bench',
      migrations: ['1.0.0->1.0.1'],
    });
    const { execution_arn } = (await started.json()) as { execution_arn: string };
    const done = await stack.engine.finished(execution_arn);
    await new Promise((r) => setTimeout(r, 500));
    stop = true;
    await prober;
    if (done.status !== 'SUCCEEDED') throw new Error(`upgrade ended ${done.status}: ${done.cause}`);
    windows.push(((lastRefused ?? 0) - (firstRefused ?? 0)) / 1000);
  }
  console.log(
    `refusal window of an upgrade with nothing inflight and a no-op migration: ${windows.map((w) => `${w.toFixed(2)} s`).join(', ')} (target < 3 s; drain poll interval ${process.env.WORKFLOW_POLL_INTERVAL_SECS ?? 1} s)`,
  );
} finally {
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
