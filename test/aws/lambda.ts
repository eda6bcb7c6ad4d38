import { type ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';
import type { FunctionSpec } from './template.ts';
import { REGION } from './template.ts';

const NODE = join(import.meta.dirname, '../../node_modules/.bin/node');
const CHILD = join(import.meta.dirname, 'lambda-child.cjs');

/** What a Lambda invocation returns: the result, or the error AWS reports (errorType is what Step Functions matches). */
export type Invocation =
  | { ok: true; result: unknown; durationMs: number }
  | { ok: false; error: { errorType: string; errorMessage: string; trace?: string[] }; durationMs: number };

/** One invocation's time in the handler (what Lambda bills, before rounding up to the ms). */
export interface HandlerTime {
  readonly fn: string;
  readonly ms: number;
}

/** How the containers run. */
export interface RuntimeOptions {
  /**
   * Log and emit metrics as the template says (its POWERTOOLS_LOG_LEVEL, EMF on): for measuring what a function
   * writes to its logs. Otherwise the harness silences both (HARNESS_LOG_LEVEL shows the logs).
   */
  readonly asDeployed?: boolean;
}

interface Container {
  child: ChildProcess;
  ready: Promise<void>;
  output: string[];
}

/**
 * Runs function bundles as Lambda does: a warm Node 22 process per concurrent invocation ("container"), the
 * template's environment and memory, fake credentials, every AWS endpoint pointed at the function's proxy, and the
 * function stopped at its configured timeout (`Sandbox.Timedout`, "Task timed out after N.00 seconds").
 */
export class LambdaRuntime {
  private readonly idle = new Map<string, Container[]>();
  private readonly all = new Set<Container>();
  private next = 0;
  /** Init time of each container started, by function name (ms). */
  readonly inits: { fn: string; ms: number }[] = [];
  /** Each successful invocation's handler time. */
  readonly handlerTimes: HandlerTime[] = [];
  /** The CloudWatch EMF records the functions wrote (asDeployed only: metrics are off otherwise), in order. */
  readonly metricRecords: { fn: string; metrics: Record<string, number> }[] = [];
  /** What each function wrote to stdout and stderr (its log stream), by function name: bytes and lines. */
  readonly logged = new Map<string, { bytes: number; lines: number }>();

  constructor(
    private readonly endpointFor: (fn: FunctionSpec) => string,
    private readonly options: RuntimeOptions = {},
  ) {}

  async invoke(fn: FunctionSpec, event: unknown): Promise<Invocation> {
    const started = Date.now();
    const c = this.idle.get(fn.name)?.pop() ?? this.start(fn);
    await c.ready;
    const id = ++this.next;
    const timeoutMs = fn.timeoutSecs * 1000;
    const out = await new Promise<Invocation>((resolve) => {
      const timer = setTimeout(() => {
        this.kill(c);
        resolve({
          ok: false,
          durationMs: Date.now() - started,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `RequestId: req-${id} Error: Task timed out after ${fn.timeoutSecs.toFixed(2)} seconds`,
          },
        });
      }, timeoutMs);
      const onExit = () => {
        clearTimeout(timer);
        resolve({
          ok: false,
          durationMs: Date.now() - started,
          error: {
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: req-${id} Error: Runtime exited\n${c.output.slice(-20).join('')}`,
          },
        });
      };
      c.child.once('exit', onExit);
      const onMessage = (m: {
        id?: number;
        ok: boolean;
        result?: unknown;
        error?: Invocation['error' & keyof Invocation];
        handlerMs?: number;
      }) => {
        if (m.id !== id) return;
        if (m.ok && m.handlerMs !== undefined) this.handlerTimes.push({ fn: fn.name, ms: m.handlerMs });
        clearTimeout(timer);
        c.child.off('message', onMessage);
        c.child.off('exit', onExit);
        const durationMs = Date.now() - started;
        resolve(
          m.ok
            ? { ok: true, result: m.result, durationMs }
            : { ok: false, error: m.error as never, durationMs },
        );
      };
      c.child.on('message', onMessage);
      c.child.send({ id, event, timeoutMs });
    });
    if (this.all.has(c)) this.idle.set(fn.name, [...(this.idle.get(fn.name) ?? []), c]);
    return out;
  }

  /** Stops every container. */
  async stop(): Promise<void> {
    for (const c of [...this.all]) this.kill(c);
  }

  private start(fn: FunctionSpec): Container {
    const heap = Math.floor(fn.memoryMb * 0.85);
    const child = fork(CHILD, [], {
      execPath: NODE,
      execArgv: [], // not the vitest worker's own flags
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        PATH: process.env.PATH,
        ...fn.environment,
        NODE_OPTIONS: `${fn.environment.NODE_OPTIONS ?? ''} --max-old-space-size=${heap}`.trim(),
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        // Fake credentials (the local S3 server accepts only its own key pair).
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        // The sample backends and health endpoints listen on loopback here; an operator allow-lists their private
        // backends the same way (-c outboundAllow=...). Everything else of the outbound policy stays as on AWS.
        OUTBOUND_ALLOW: '127.0.0.1/32',
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        LAMBDA_TASK_ROOT: fn.bundleDir,
        HARNESS_HANDLER: fn.handler,
        HARNESS_FUNCTION_ARN: fn.arn,
        ...(this.options.asDeployed
          ? {}
          : {
              POWERTOOLS_LOG_LEVEL: process.env.HARNESS_LOG_LEVEL ?? 'SILENT',
              POWERTOOLS_METRICS_DISABLED: 'true',
            }),
        ...Object.fromEntries(
          ['DYNAMODB', 'S3', 'SFN', 'SCHEDULER', 'SECRETS_MANAGER', 'SNS', 'CLOUDWATCH'].map((s) => [
            `AWS_ENDPOINT_URL_${s}`,
            this.endpointFor(fn),
          ]),
        ),
      },
    });
    const output: string[] = [];
    /** What one stream (stdout, stderr) writes: counted, kept for errors, and its EMF lines read once whole. */
    const keeper = () => {
      let partial = ''; // a line not yet ended
      return (b: Buffer) => {
        const text = b.toString();
        const sofar = this.logged.get(fn.name) ?? { bytes: 0, lines: 0 };
        this.logged.set(fn.name, {
          bytes: sofar.bytes + b.length,
          lines: sofar.lines + text.split('\n').length - 1,
        });
        output.push(text);
        if (output.length > 200) output.shift();
        if (this.options.asDeployed) {
          const lines = (partial + text).split('\n');
          partial = lines.pop() ?? '';
          this.metricRecords.push(...emfRecords(fn.name, lines));
        }
        if (process.env.HARNESS_LOG_LEVEL) process.stderr.write(`[${fn.name}] ${text}`);
      };
    };
    child.stdout?.on('data', keeper());
    child.stderr?.on('data', keeper());
    const ready = new Promise<void>((ok) => {
      const onReady = (m: { ready?: boolean; initMs?: number }) => {
        if (!m.ready) return;
        child.off('message', onReady);
        this.inits.push({ fn: fn.name, ms: m.initMs ?? 0 });
        ok();
      };
      child.on('message', onReady);
      child.once('exit', () => ok());
    });
    const c: Container = { child, ready, output };
    this.all.add(c);
    return c;
  }

  private kill(c: Container): void {
    this.all.delete(c);
    for (const [name, list] of this.idle)
      this.idle.set(
        name,
        list.filter((x) => x !== c),
      );
    if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
  }
}

/** The EMF records in lines of a function's output: each metric's name and value. */
function emfRecords(fn: string, lines: string[]): { fn: string; metrics: Record<string, number> }[] {
  const out: { fn: string; metrics: Record<string, number> }[] = [];
  for (const line of lines) {
    if (!line.includes('"_aws"')) continue;
    const record = JSON.parse(line) as Record<string, unknown> & {
      _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] };
    };
    const names = record._aws.CloudWatchMetrics.flatMap((m) => m.Metrics.map((x) => x.Name));
    out.push({ fn, metrics: Object.fromEntries(names.map((n) => [n, Number(record[n])])) });
  }
  return out;
}
