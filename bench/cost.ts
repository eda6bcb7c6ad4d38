/**
 * What an admitted intent costs on AWS, per million intents, line by line (API, Lambda requests and duration,
 * DynamoDB, log ingestion, traces), on each way in, beside the floor: the fence's own DynamoDB calls, 2 WCU + 1 RCU.
 * And whether the design rate (10,000 admissions/s) fits the account's default quotas on each.
 *
 * Every input is the project's own: the synthesized template (API, log levels, sampling, memory, architecture),
 * the bytes each intent function's bundle writes to its log per invocation and its handler time (measured: the
 * bundles run in the AWS-rules harness, logging as the template says), DynamoDB's consumed capacity
 * (ReturnConsumedCapacity on DynamoDB Local, billed as on AWS) and the list prices of bench/cost/prices.ts.
 * API Gateway's own log lines have no local engine: they are rendered (bench/cost/log-lines.ts) and counted.
 *
 *   npm run bench:cost        (BENCH_INTENTS=100 intents measured per run; run `npx cdk synth --quiet` first to reuse cdk.out)
 */
import { routeFunctionId } from '../cdk/api-stack.ts';
import { startDynamoDbLocal } from '../local/engines/dynamodb-local.ts';
import { cloudAssembly } from '../test/aws/harness.ts';
import { type PathDemand, quotaChecks, scalingSeconds } from './cost/capacity.ts';
import { accessLogLine, STANDARD_ACCESS_LOG } from './cost/log-lines.ts';
import {
  type CostLines,
  costPerMillionIntents,
  executionLogAt,
  type RouteInputs,
  total,
} from './cost/model.ts';
import {
  INTENT_STEPS,
  meterRoutes,
  observeRoutes,
  type RouteObservation,
  stepName,
} from './cost/observed.ts';
import { PRICES } from './cost/prices.ts';
import { DESIGN_RATE } from './cost/quotas.ts';
import { readTemplateFacts, X_RAY_DEFAULT_RATE } from './cost/template-facts.ts';

const INTENTS = Number(process.env.BENCH_INTENTS ?? 100);
const outdir = cloudAssembly();
const facts = readTemplateFacts(
  outdir,
  INTENT_STEPS.map((s) => ({ ...s, functionId: routeFunctionId(s.handler) })),
);
const ddb = await startDynamoDbLocal();
let deployed: Record<string, RouteObservation>;
let before: Record<string, RouteObservation>;
let units: Awaited<ReturnType<typeof meterRoutes>>;
try {
  console.log(`measuring ${INTENTS} intents (register, 3 PATCHes, complete) in the AWS-rules harness...`);
  deployed = await observeRoutes(ddb.endpoint, INTENTS);
  // What-if: the functions' logging before the hot path was trimmed (INFO, no debug sample).
  before = await observeRoutes(ddb.endpoint, INTENTS, {
    POWERTOOLS_LOG_LEVEL: 'INFO',
    POWERTOOLS_LOGGER_SAMPLE_RATE: '0',
  });
  units = await meterRoutes(ddb.endpoint, 50);
} finally {
  await ddb.stop();
}

type Way = 'rest-before' | 'rest' | 'http' | 'url' | 'client';
const WAYS: Record<Way, string> = {
  'rest-before': 'REST API, before (INFO logs, standard access log, X-Ray 5%)',
  rest: 'REST API, as deployed',
  http: 'HTTP API (not deployed: what-if)',
  url: 'Lambda function URL, AWS_IAM',
  client: 'producer client (DynamoDB directly)',
};
const urlDeployed = Object.values(facts.functions).every((f) => f.url === 'AWS_IAM');

/** One route's inputs on one way in. */
function inputs(way: Way, step: (typeof INTENT_STEPS)[number], perIntent: number): RouteInputs {
  const name = stepName(step);
  const fn = facts.functions[name];
  const seen = (way === 'rest-before' ? before : deployed)[name];
  const cap = units[name];
  if (!fn || !seen || !cap) throw new Error(`no measurement of ${name}`);
  const rest = way === 'rest' || way === 'rest-before';
  const format = way === 'rest-before' ? STANDARD_ACCESS_LOG : facts.accessLogFormat;
  const fnTraced = fn.tracing === 'Active' ? X_RAY_DEFAULT_RATE : 0; // Lambda's own default sample, when the caller sent none
  return {
    perIntent,
    apiPerMillion: rest
      ? PRICES.restApiPerMillion
      : way === 'http'
        ? PRICES.httpApiPerMillion
        : PRICES.functionUrlPerMillion,
    lambda: way !== 'client',
    handlerMs: seen.handlerMs,
    memoryMb: fn.memoryMb,
    architecture: fn.architecture,
    writeUnits: cap.write,
    readUnits: cap.read,
    functionLog: way === 'client' ? { bytes: 0, lines: 0 } : { bytes: seen.logBytes, lines: seen.logLines },
    platformLines: way === 'rest-before' ? true : fn.platformLines,
    executionLog: rest
      ? executionLogAt(
          way === 'rest-before' ? 'INFO' : (facts.executionLogLevel[name] ?? 'INFO'),
          step.method,
          step.resource,
        )
      : [],
    accessLog: (rest || way === 'http') && format ? accessLogLine(format, step.method, step.resource) : null,
    traceRate:
      way === 'rest-before'
        ? X_RAY_DEFAULT_RATE
        : way === 'rest'
          ? facts.intentTraceRate
          : way === 'url'
            ? fnTraced
            : 0,
  };
}

const MIXES = [
  { name: 'register + complete', patches: 0 },
  { name: 'register + 3 PATCH + complete', patches: 3 },
];
const routesOf = (way: Way, patches: number) =>
  INTENT_STEPS.filter((s) => s.method !== 'PATCH' || patches > 0).map((s) =>
    inputs(way, s, s.method === 'PATCH' ? patches : 1),
  );
const floor = total(costPerMillionIntents(routesOf('client', 0)));
const $ = (n: number) => `$${n.toFixed(n < 0.1 && n > 0 ? 3 : 2)}`;

console.log(`\nlist prices: ${PRICES.region}, as of ${PRICES.asOf} (bench/cost/prices.ts)`);
const register = facts.functions[stepName(INTENT_STEPS[0])];
console.log(
  `read off the template: ${facts.api} API, intent execution logs at ${[...new Set(Object.values(facts.executionLogLevel))].join('/')}, ` +
    `X-Ray ${(facts.intentTraceRate * 100).toFixed(0)}% of intent requests, intent functions at ${register?.logLevel} ` +
    `(debug ${((register?.debugSampleRate ?? 0) * 100).toFixed(0)}%), tracing ${register?.tracing}, ` +
    `Lambda platform lines ${register?.platformLines ? 'on' : 'off'}, ${register?.memoryMb} MB ${register?.architecture}, ` +
    `function URLs ${urlDeployed ? 'AWS_IAM' : 'none'}`,
);
console.log('measured per call (handler p50 in the harness; log bytes the bundle wrote; capacity units):');
for (const step of INTENT_STEPS) {
  const n = stepName(step);
  const [d, b, u] = [deployed[n], before[n], units[n]];
  console.log(
    `  ${n.padEnd(28)} ${d?.handlerMs.toFixed(1)} ms, log ${d?.logBytes.toFixed(0)} B/${d?.logLines.toFixed(2)} lines (at INFO: ${b?.logBytes.toFixed(0)} B), ${u?.write.toFixed(2)} WCU + ${u?.read.toFixed(2)} RCU`,
  );
}
console.log(`floor (the fence's DynamoDB calls, register + complete): ${$(floor)} per million intents`);

const goals: string[] = [];
for (const mix of MIXES) {
  // The floor of this mix: its DynamoDB calls alone (each PATCH adds a write).
  const mixFloor = total(costPerMillionIntents(routesOf('client', mix.patches)));
  console.log(`\n${mix.name}: $ per million admitted intents (floor ${$(mixFloor)})`);
  const head = ['way in', 'API', 'λ req', 'λ dur', 'DynamoDB', 'logs', 'traces', 'total', '× floor'];
  console.log(
    `  ${head[0]?.padEnd(62)}${head
      .slice(1)
      .map((h) => h.padStart(9))
      .join('')}`,
  );
  for (const way of Object.keys(WAYS) as Way[]) {
    if (way === 'url' && !urlDeployed) {
      console.log(`  ${WAYS.url.padEnd(62)} (not in the template)`);
      continue;
    }
    const c: CostLines = costPerMillionIntents(routesOf(way, mix.patches));
    const ratio = total(c) / mixFloor;
    const cells = [c.api, c.lambdaRequests, c.lambdaDuration, c.dynamodb, c.logs, c.traces, total(c)];
    console.log(
      `  ${WAYS[way].padEnd(62)}${cells.map((x) => $(x).padStart(9)).join('')}${`${ratio.toFixed(2)}×`.padStart(9)}`,
    );
    if (mix.patches === 0 && way === 'client')
      goals.push(
        `cheapest path (client) ${ratio.toFixed(2)}× floor, goal ≤ 1.5×: ${ratio <= 1.5 ? 'met' : 'NOT met'}`,
      );
    if (mix.patches === 0 && way === 'url')
      goals.push(
        `HTTP path any language can call (function URL + SigV4) ${ratio.toFixed(2)}× floor, goal ≤ 3×: ${ratio <= 3 ? 'met' : 'NOT met'}`,
      );
    if (mix.patches === 0 && way === 'rest')
      goals.push(
        `REST API ${ratio.toFixed(2)}× floor: API Gateway's $3.50/M requests alone is ${((2 * PRICES.restApiPerMillion) / floor).toFixed(1)}× (kept for operators' tools and the seeds' curl)`,
      );
  }
}
console.log('\ngoals:');
for (const g of goals) console.log(`  ${g}`);

console.log(
  `\nthe design rate, ${DESIGN_RATE.toLocaleString('en-US')} admissions/s, against the default quotas (fence shards: ${facts.fenceShards}):`,
);
for (const mix of MIXES) {
  const reqs = 2 + mix.patches;
  const ms = deployed[stepName(INTENT_STEPS[0])]?.handlerMs ?? 0;
  const demands: PathDemand[] = [
    {
      name: 'REST API',
      apiRequests: reqs,
      lambdaRequests: reqs,
      handlerMs: ms,
      intentWrites: reqs,
      gateReads: 1,
    },
    {
      name: 'function URL',
      apiRequests: 0,
      lambdaRequests: reqs,
      handlerMs: ms,
      intentWrites: reqs,
      gateReads: 1,
    },
    {
      name: 'producer client',
      apiRequests: 0,
      lambdaRequests: 0,
      handlerMs: 0,
      intentWrites: reqs,
      gateReads: 1,
    },
  ];
  console.log(`  ${mix.name} (${reqs} requests an intent):`);
  for (const d of demands) {
    const checks = quotaChecks(d, DESIGN_RATE, facts.fenceShards);
    const over = checks.filter((c) => c.raise);
    console.log(
      `    ${d.name}: ${over.length ? `raise ${over.map((c) => c.raise).join('; ')}` : 'fits the defaults'}`,
    );
    for (const c of checks)
      console.log(
        `      ${c.what.padEnd(44)} ${String(c.needed).padStart(7)} of ${String(c.limit).padStart(6)}${c.raise ? '  ← over' : ''}`,
      );
    const lambda = checks.find((c) => c.what.startsWith('Lambda'));
    if (lambda)
      console.log(
        `      from cold: ${scalingSeconds(lambda.needed, reqs > 2 ? 3 : 2)} s of Lambda scaling (1,000 executions per function per 10 s)`,
      );
  }
}
