import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { serviceResources } from '../../bench/cost/template-facts.ts';
import { viaFunctionUrl } from './function-url.ts';
import { AwsHarness, cloudAssembly } from './harness.ts';
import { producerClient } from './producer-client.ts';

/**
 * Every metric an alarm or a dashboard widget of the template reads, and what feeds it, with the bundles logging as
 * deployed (the intent routes' trimmed levels, EMF on): the intent functions now log little (cdk/hot-path.ts), and
 * nothing an operator watches may have depended on what they stopped writing.
 */
let aws: AwsHarness;
beforeAll(async () => {
  aws = await AwsHarness.start(inject('dynamoEndpoint'), {}, {}, { asDeployed: true });
}, 180_000);
afterAll(() => aws?.stop());

const NAMESPACE = 'UpgradeControlPlane';

/** The metrics the template's alarms and dashboards read, by namespace. */
function metricsRead(): Map<string, Set<string>> {
  const read = new Map<string, Set<string>>();
  const add = (ns: string, name: string) => read.set(ns, (read.get(ns) ?? new Set()).add(name));
  for (const r of Object.values(serviceResources(cloudAssembly()))) {
    const p = r.Properties ?? {};
    if (r.Type === 'AWS::CloudWatch::Alarm') {
      if (p.MetricName) add(String(p.Namespace), String(p.MetricName));
      for (const m of (p.Metrics ?? []) as {
        MetricStat?: { Metric: { Namespace: string; MetricName: string } };
      }[])
        if (m.MetricStat) add(m.MetricStat.Metric.Namespace, m.MetricStat.Metric.MetricName);
    }
    if (r.Type === 'AWS::CloudWatch::Dashboard')
      for (const m of JSON.stringify(p.DashboardBody).matchAll(/\[\\+"([\w/]+)\\+",\\+"(\w+)\\+"/g))
        add(m[1] as string, m[2] as string);
  }
  return read;
}

describe('what feeds the alarms and the dashboard, as deployed', () => {
  it("the project's own metrics: the drain gauges come from the per-minute function, whatever way intents came in", async () => {
    const read = metricsRead();
    const own = [...(read.get(NAMESPACE) ?? [])];
    expect(own).toEqual(expect.arrayContaining(['InflightCount', 'DrainMode', 'DrainDeadlineExceeded']));
    expect((await aws.api('admin', 'GET', '/admin/drain/status')).status).toBe(200);
    // An intent registered, updated and completed through the REST API; one left inflight by the producer client.
    expect((await aws.api('intent', 'POST', '/intents', { id: 'fed-1' })).status).toBe(201);
    expect((await aws.api('intent', 'PATCH', '/intents/fed-1', { phase: 'Settling' })).status).toBe(200);
    expect((await aws.api('intent', 'POST', '/intents/fed-1/complete', { outcome: 'settled' })).status).toBe(
      200,
    );
    // Through the function URL too.
    const url = (method: string, path: string, body?: unknown) =>
      viaFunctionUrl(
        aws,
        { role: 'IntentRole' },
        path.endsWith('complete') ? 'intent-complete' : 'intent-register',
        method,
        path,
        body,
      );
    expect((await url('POST', '/intents', { id: 'fed-3' })).status).toBe(201);
    expect((await url('POST', '/intents/fed-3/complete', { outcome: 'refunded' })).status).toBe(200);
    const producer = await producerClient(aws, inject('dynamoEndpoint'), aws.role('ProducerRole'), 'feeds');
    await producer.client.register({ id: 'fed-2' });
    const gauges = await aws.invoke(aws.fn('DrainGauges'), {});
    expect(gauges).toMatchObject({ ok: true, result: { inflight_count: 1 } });
    await new Promise((r) => setTimeout(r, 200)); // the last lines through the pipes
    const fromGauges = aws.lambdas.metricRecords
      .filter((r) => r.fn === aws.fn('DrainGauges').name)
      .at(-1)?.metrics;
    expect(fromGauges).toMatchObject({ InflightCount: 1, DrainMode: 0, DrainDeadlineExceeded: 0 });
    // The completion still reports its outcome at the intent functions' WARN level (EMF is not a log level).
    const completed = aws.lambdas.metricRecords.filter((r) => r.fn === aws.fn('intent-complete').name);
    expect(completed.map((r) => r.metrics)).toEqual([{ IntentCompleted: 1 }, { IntentCompleted: 1 }]);
    // The upgrade events come from workflow Tasks, which keep the full settings: each is in some Task's bundle.
    const events = own.filter((m) => !(m in (fromGauges ?? {})));
    const tasks = [...aws.app.functions.values()].filter((f) => f.logicalId.startsWith('Task'));
    for (const metric of events) {
      const feeders = tasks.filter((f) =>
        readFileSync(join(f.bundleDir, 'index.js'), 'utf8').includes(`"${metric}"`),
      );
      expect(feeders.length, `${metric}: no Task emits it`).toBeGreaterThan(0);
      for (const f of feeders) expect(f.environment.POWERTOOLS_METRICS_DISABLED, f.name).toBeUndefined();
    }
    await producer.client.complete('fed-2');
    await producer.close();
  });

  it("the rest are AWS's own metrics (Lambda errors, Step Functions executions), which no log level touches", () => {
    const others = [...metricsRead().keys()].filter((ns) => ns !== NAMESPACE);
    expect(others.sort()).toEqual(['AWS/Lambda', 'AWS/States']);
  });
});
