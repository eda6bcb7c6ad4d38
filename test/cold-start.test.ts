import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDocumentClient } from '../shared/adapters/dynamodb/client.ts';
import { startTestApi, type TestApi } from './support/api.ts';

/** Every item of the control table: a cold start that wrote anything would show here. */
async function controlItems(api: TestApi): Promise<number> {
  const { config } = api.env;
  const db = makeDocumentClient({ endpoint: config.dynamoEndpoint });
  const out = await db.send(new ScanCommand({ TableName: config.tables.control, ConsistentRead: true }));
  return out.Items?.length ?? 0;
}

describe('cold starts only read: the mode record and gates are created by an operator action', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({}, { retryIntervalMs: 20 }, { initialise: false });
  });
  afterAll(() => api.stop());

  it('routes whose roles cannot write the control table answer 503 not_initialised and write nothing', async () => {
    const calls: [string, string, 'admin' | 'intent', unknown?][] = [
      ['PATCH', '/intents/i-1', 'intent', { phase: 'Settling' }],
      ['POST', '/intents/i-1/complete', 'intent'],
      ['POST', '/intents', 'intent', { id: 'i-1' }],
      ['GET', '/admin/inflight', 'admin'],
    ];
    for (const [method, path, who, body] of calls) {
      const reply = await api[who](method, path, body);
      if (reply.status === 503) {
        expect(reply.body.error, path).toBe('not_initialised');
        expect(reply.headers.get('retry-after'), path).toBe('30');
        expect(String(reply.body.message)).toContain('GET /admin/drain/status');
      } else {
        // Reads that need no mode record (the inflight list, a completion of an unknown id) still answer.
        expect(reply.status, `${method} ${path}: ${reply.text}`).toBeLessThan(500);
      }
    }
    const health = await api.raw('GET', '/health');
    expect(health.status).toBe(503);
    expect(JSON.stringify(health.body)).toContain('not initialised');
    expect(await controlItems(api)).toBe(0);
  });

  it('the first admin drain call creates them once; then intents are admitted', async () => {
    const status = await api.admin('GET', '/admin/drain/status');
    expect(status.status, status.text).toBe(200);
    expect(status.body).toMatchObject({ mode: 'Active', admitting: true });
    const items = await controlItems(api);
    expect(items).toBeGreaterThan(1);
    const created = await api.intent('POST', '/intents', { id: 'after-init' });
    expect(created.status, created.text).toBe(201);
    expect((await api.raw('GET', '/health')).status).toBe(200);
  });
});
