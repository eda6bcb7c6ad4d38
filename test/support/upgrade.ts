import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { makeDocumentClient } from '../../shared/adapters/dynamodb/client.ts';
import type { ExecutionDescription } from '../../shared/upgrade/workflow-engine.ts';
import { latestEnvironment, type Reply, type TestApi } from './api.ts';

export interface UpgradeRun {
  readonly started: Reply;
  readonly execution: ExecutionDescription;
  readonly detail: Record<string, unknown>;
  readonly upgrade: Record<string, unknown>;
  /** The state the execution ended in (its last state in the history). */
  readonly endState: string | null;
  readonly steps: {
    name: string;
    outcome: string;
    cause: string | null;
    detail: Record<string, unknown> | null;
  }[];
}

/** Starts an upgrade through the API and waits for its execution to end; `during` runs while it is under way. */
export async function runUpgrade(
  api: TestApi,
  body: Record<string, unknown>,
  during?: () => Promise<void>,
): Promise<UpgradeRun> {
  const started = await api.admin('POST', '/admin/upgrade/start', { rollback_retry_delay_secs: 0, ...body });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const arn = started.body.execution_arn as string;
  await during?.();
  const execution = await api.engine.finished(arn);
  const detail = (await api.admin('GET', `/admin/upgrades/${started.body.upgrade_id as string}`)).body;
  const history = await api.engine.history(arn);
  return {
    started,
    execution,
    endState: history.findLast((e) => e.state !== null)?.state ?? null,
    detail,
    upgrade: detail.upgrade as Record<string, unknown>,
    steps: detail.steps as UpgradeRun['steps'],
  };
}

/** Every stored intent item of the test API started last, sorted by id: the exact records, compared item by item. */
export async function intentItems(): Promise<Record<string, unknown>[]> {
  const { config } = latestEnvironment();
  const db = makeDocumentClient({ endpoint: config.dynamoEndpoint });
  const out = await db.send(new ScanCommand({ TableName: config.tables.intents, ConsistentRead: true }));
  return (out.Items ?? []).sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

/** Waits until `check` passes (polling), for things the workflow does in the background; `seen` tells what it saw. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 20_000,
  seen?: () => Promise<string>,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until)
      throw new Error(`condition not reached in time${seen ? `; last seen: ${await seen()}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A service health endpoint of the test's own, answering with `respond`. */
export async function healthEndpoint(
  respond: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
) {
  const server = createServer((req, res) => void respond(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/health`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The seeds' scenario 4 request: an upgrade forced past a 1 s drain whose post-check (at `url`) fails. */
export const failingPostCheckUpgrade = (url: string) => ({
  target_version: '2.0.0',
  reason: 'post-check fails',
  drain_timeout_secs: 1,
  force_after_timeout: true,
  post_checks: [{ name: 'orchestrator', type: 'http', url }],
});
