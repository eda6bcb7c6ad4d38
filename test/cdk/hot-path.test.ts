import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DESIGN_RATE } from '../../bench/cost/quotas.ts';
import { routeFunctionId } from '../../cdk/api-stack.ts';
import { ROUTES } from '../../lambdas/routes.ts';
import { type Resources, synthesizeForTemplateTests } from './synth-app.ts';

/**
 * What makes an intent cheap on AWS, held in the template: a change that brings back INFO logs, full traces or
 * Lambda's platform lines on the intent routes fails here (`npm run bench:cost` prices what these settings mean).
 */
let service: Template;
let data: Template;

beforeAll(() => {
  const app = synthesizeForTemplateTests();
  expect(app.synthError, String((app.synthError as Error | null)?.message ?? '')).toBeNull();
  ({ service, data } = app);
}, 120_000);

const INTENT_ROUTES = ROUTES.filter((r) => r.access === 'intent');
const functionsBy = (hot: boolean) => {
  const functions = service.findResources('AWS::Lambda::Function') as Resources;
  const ids = new Set(
    ROUTES.filter((r) => (r.access === 'intent') === hot).map((r) => routeFunctionId(r.handler)),
  );
  return Object.entries(functions)
    .filter(([id]) => [...ids].some((f) => id.startsWith(f) && /^[0-9A-F]{8}$/.test(id.slice(f.length))))
    .map(([id, f]) => ({ id, props: f.Properties as Record<string, Record<string, unknown>> }));
};
type MethodSetting = { HttpMethod: string; ResourcePath: string; LoggingLevel?: string };
const stage = () =>
  (Object.values(service.findResources('AWS::ApiGateway::Stage') as Resources)[0]?.Properties ?? {}) as {
    MethodSettings: MethodSetting[];
    AccessLogSetting: { Format: string };
    TracingEnabled: boolean;
  };

describe('the intent routes log and trace little (the hot path)', () => {
  it('API Gateway writes execution logs of the intent methods at ERROR; the admin routes keep INFO', () => {
    const settings = stage().MethodSettings;
    for (const route of INTENT_ROUTES) {
      const path = `/${route.resource.replace(/\//g, '~1')}`;
      const s = settings.find((m) => m.HttpMethod === route.method && m.ResourcePath === path);
      expect(s?.LoggingLevel, `${route.method} ${route.resource}`).toBe('ERROR');
    }
    expect(settings.find((m) => m.HttpMethod === '*')?.LoggingLevel).toBe('INFO');
  });

  it('the access log is kept, one short line: who, what, when, status and latency, no more than 8 fields', () => {
    const format = JSON.parse(stage().AccessLogSetting.Format) as Record<string, string>;
    expect(Object.values(format)).toEqual(
      expect.arrayContaining([
        '$context.requestId',
        '$context.identity.userArn',
        '$context.status',
        '$context.resourcePath',
      ]),
    );
    expect(Object.keys(format).length).toBeLessThanOrEqual(8);
  });

  it('X-Ray samples 1% of intent requests (after one a second) and the intent functions follow that sample', () => {
    expect(stage().TracingEnabled).toBe(true);
    const [rule] = Object.values(service.findResources('AWS::XRay::SamplingRule') as Resources);
    expect(rule?.Properties.SamplingRule).toMatchObject({
      FixedRate: 0.01,
      ReservoirSize: 1,
      URLPath: '/intents*',
      ServiceType: 'AWS::ApiGateway::Stage',
      ServiceName: 'ucp-main/v1',
    });
    const hot = functionsBy(true);
    expect(hot).toHaveLength(INTENT_ROUTES.length);
    for (const f of hot) expect(f.props.TracingConfig, f.id).toEqual({ Mode: 'PassThrough' });
    for (const f of functionsBy(false)) expect(f.props.TracingConfig, f.id).toEqual({ Mode: 'Active' });
  });

  it("the intent functions log at WARN with a 1% debug sample, without Lambda's START/END/REPORT lines", () => {
    for (const f of functionsBy(true)) {
      expect(f.props.Environment?.Variables, f.id).toMatchObject({
        POWERTOOLS_LOG_LEVEL: 'WARN',
        POWERTOOLS_LOGGER_SAMPLE_RATE: '0.01',
      });
      expect(f.props.LoggingConfig, f.id).toMatchObject({ LogFormat: 'JSON', SystemLogLevel: 'WARN' });
      expect(f.props.LoggingConfig?.ApplicationLogLevel, f.id).toBeUndefined(); // it would drop the debug sample
    }
    for (const f of functionsBy(false))
      expect(f.props.Environment?.Variables, f.id).toMatchObject({ POWERTOOLS_LOG_LEVEL: 'INFO' });
  });
});

describe('the tables are warm for the design rate', () => {
  it('the intents table takes 2 writes an intent and the control table 1 gate read, at 10,000 admissions/s, from the start', () => {
    const tables = Object.entries(data.findResources('AWS::DynamoDB::Table') as Resources);
    const warm = (prefix: string) =>
      tables.find(([id]) => id.startsWith(prefix))?.[1].Properties.WarmThroughput as {
        WriteUnitsPerSecond: number;
        ReadUnitsPerSecond: number;
      };
    expect(warm('Intents').WriteUnitsPerSecond).toBeGreaterThanOrEqual(2 * DESIGN_RATE * 1.25);
    expect(warm('Control').ReadUnitsPerSecond).toBeGreaterThanOrEqual(DESIGN_RATE * 1.25);
  });
});
