import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Resource = { Type: string; Properties?: Record<string, unknown> };
type Template = { Resources: Record<string, Resource> };

/** What the synthesized template says about one intent route's function. */
export interface FunctionFacts {
  readonly logicalId: string;
  readonly memoryMb: number;
  readonly architecture: string;
  readonly tracing: string;
  /** Lambda's START/END/REPORT lines: written unless the JSON log format's system level is above INFO. */
  readonly platformLines: boolean;
  readonly logLevel: string;
  readonly debugSampleRate: number;
  /** Whether a Lambda function URL serves it, and its auth type. */
  readonly url: string | null;
}

/** What the template says about the intent path: API, stage logging, tracing, functions. */
export interface TemplateFacts {
  readonly api: 'REST' | 'HTTP';
  /** FENCE_SHARDS of the intent functions: the intents table's partition keys, and the gates. */
  readonly fenceShards: number;
  /** Execution-log level of each intent method (`POST /intents`...). */
  readonly executionLogLevel: Record<string, string>;
  /** The access log's format (null: none). */
  readonly accessLogFormat: string | null;
  /** The share of intent requests the API's sampling rule traces (X-Ray's default, 5%, without one). */
  readonly intentTraceRate: number;
  /** By route (`POST /intents`). */
  readonly functions: Record<string, FunctionFacts>;
}

/** X-Ray's default sampling rule: 5% (after one request a second), for API Gateway and for Lambda alike. */
export const X_RAY_DEFAULT_RATE = 0.05;

/** The service templates of a cloud assembly (the stacks its manifest lists), as one resource map. */
export function serviceResources(outdir: string): Record<string, Resource> {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
  };
  const resources: Record<string, Resource> = {};
  for (const a of Object.values(manifest.artifacts))
    if (a.type === 'aws:cloudformation:stack' && a.properties?.templateFile) {
      const t = JSON.parse(readFileSync(join(outdir, a.properties.templateFile), 'utf8')) as Template;
      Object.assign(resources, t.Resources);
    }
  return resources;
}

/** Reads the facts of `routes` (method, resource, handler's logical id) from the cloud assembly in `outdir`. */
export function readTemplateFacts(
  outdir: string,
  routes: { method: string; resource: string; functionId: string }[],
): TemplateFacts {
  const all = serviceResources(outdir);
  const of = (type: string) => Object.entries(all).filter(([, r]) => r.Type === type);
  const stage = of('AWS::ApiGateway::Stage')[0]?.[1].Properties ?? {};
  const settings = (stage.MethodSettings ?? []) as {
    HttpMethod: string;
    ResourcePath: string;
    LoggingLevel?: string;
  }[];
  const stageLevel = settings.find((s) => s.HttpMethod === '*')?.LoggingLevel ?? 'OFF';
  const rule = of('AWS::XRay::SamplingRule')
    .map(([, r]) => (r.Properties?.SamplingRule ?? {}) as { URLPath?: string; FixedRate?: number })
    .find((r) => r.URLPath?.startsWith('/intents'));
  const urls = of('AWS::Lambda::Url').map(([, r]) => r.Properties ?? {});
  const functions: Record<string, FunctionFacts> = {};
  const executionLogLevel: Record<string, string> = {};
  for (const route of routes) {
    const name = `${route.method} ${route.resource}`;
    const path = `/${route.resource.replace(/\//g, '~1')}`;
    executionLogLevel[name] =
      settings.find((s) => s.HttpMethod === route.method && s.ResourcePath === path)?.LoggingLevel ??
      stageLevel;
    const [id, fn] =
      of('AWS::Lambda::Function').find(
        ([id]) => id.startsWith(route.functionId) && /^[0-9A-F]{8}$/.test(id.slice(route.functionId.length)),
      ) ?? [];
    if (!id || !fn?.Properties) throw new Error(`no function ${route.functionId} in ${outdir}`);
    const p = fn.Properties as Record<string, Record<string, unknown> & unknown>;
    const env = ((p.Environment as { Variables?: Record<string, string> })?.Variables ?? {}) as Record<
      string,
      string
    >;
    const logging = (p.LoggingConfig ?? {}) as { LogFormat?: string; SystemLogLevel?: string };
    const url = urls.find((u) => JSON.stringify(u.TargetFunctionArn).includes(id));
    functions[name] = {
      logicalId: id,
      memoryMb: Number(p.MemorySize ?? 128),
      architecture: String((p.Architectures as unknown as string[])?.[0] ?? 'x86_64'),
      tracing: String((p.TracingConfig as { Mode?: string })?.Mode ?? 'PassThrough'),
      platformLines: !(
        logging.LogFormat === 'JSON' && ['WARN', 'ERROR', 'FATAL'].includes(logging.SystemLogLevel ?? '')
      ),
      logLevel: env.POWERTOOLS_LOG_LEVEL ?? 'INFO',
      debugSampleRate: Number(env.POWERTOOLS_LOGGER_SAMPLE_RATE ?? 0),
      url: url ? String(url.AuthType) : null,
    };
  }
  const register = of('AWS::Lambda::Function').find(
    ([id]) => id === functions[`${routes[0]?.method} ${routes[0]?.resource}`]?.logicalId,
  )?.[1];
  const fenceShards = Number(
    (register?.Properties?.Environment as { Variables?: Record<string, string> })?.Variables?.FENCE_SHARDS ??
      64,
  );
  const access = (stage.AccessLogSetting as { Format?: string } | undefined)?.Format ?? null;
  return {
    api: of('AWS::ApiGateway::RestApi').length ? 'REST' : 'HTTP',
    fenceShards,
    executionLogLevel,
    accessLogFormat: access,
    intentTraceRate: stage.TracingEnabled === true ? (rule?.FixedRate ?? X_RAY_DEFAULT_RATE) : 0,
    functions,
  };
}
