/**
 * Every function bundle of a synthesized app (`cdk.out`, or the folder given as first argument): its minified size
 * and its cold init time (a fresh Node process requires the bundle until `handler` is there; median of N runs),
 * beside baselines built here with the same esbuild settings: an empty handler, and a handler holding only a
 * DynamoDB document client (`@aws-sdk/client-dynamodb` + `lib-dynamodb`), bundled plainly (the ratio's base) and
 * as the functions are bundled (the floor of a function that uses the SDK). Run `npx cdk synth --quiet` first.
 *
 * It measures what ships: the whole asset folder of each function (KB is every file in it, as Lambda gets the zip),
 * loaded with the NODE_OPTIONS the template gives the function (none today: no `--enable-source-maps`).
 *
 *   npm run bench:bundles [-- cdk.out] (BENCH_RUNS=7 for more runs per bundle)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSync } from 'esbuild';
import { FUNCTION_BUILD } from '../cdk/bundling/options.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'cdk.out'));
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const NODE = join(ROOT, 'node_modules/.bin/node');

type Resource = { Type: string; Properties: Record<string, unknown>; Metadata?: Record<string, string> };

/** ms from `require` to an exported handler, in a fresh process (externals resolve from node_modules, as the runtime's SDK would). */
function initMs(file: string, nodeOptions = ''): number {
  const script = `const t=performance.now();const m=require(${JSON.stringify(file)});if(typeof m.handler!=='function')throw new Error('no handler');process.stdout.write(String(performance.now()-t))`;
  const out = execFileSync(NODE, [...nodeOptions.split(' ').filter(Boolean), '-e', script], {
    env: { PATH: process.env.PATH, NODE_PATH: join(ROOT, 'node_modules'), AWS_REGION: 'us-east-1' },
    encoding: 'utf8',
  });
  return Number(out);
}

function median(file: string, nodeOptions = ''): number {
  const times = Array.from({ length: RUNS }, () => initMs(file, nodeOptions)).sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}

/** The functions' build without its SDK-specific parts (ES build first, the stand-ins): the ratio's base. */
const { mainFields: _mainFields, alias: _alias, ...PLAIN_BUILD } = FUNCTION_BUILD;

function baseline(name: string, source: string, asFunctions = false): { name: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  writeFileSync(join(dir, 'entry.ts'), source);
  buildSync({
    ...(asFunctions ? FUNCTION_BUILD : PLAIN_BUILD),
    entryPoints: [join(dir, 'entry.ts')],
    outfile: join(dir, 'index.js'),
    nodePaths: [join(ROOT, 'node_modules')],
    logLevel: 'error',
  });
  return { name, file: join(dir, 'index.js') };
}

const TASK_ROOT = mkdtempSync(join(tmpdir(), 'bench-task-'));
/** A bundle as measured: the file to load, the NODE_OPTIONS it runs with, and the bytes it ships (asset folder). */
type Bundle = { name: string; file: string; nodeOptions?: string; shippedBytes?: number };
const bundles: Bundle[] = [];
const manifest = JSON.parse(readFileSync(join(OUT, 'manifest.json'), 'utf8')) as {
  artifacts: Record<string, { type: string; properties?: { templateFile?: string } }>;
};
for (const artifact of Object.values(manifest.artifacts)) {
  if (artifact.type !== 'aws:cloudformation:stack' || !artifact.properties?.templateFile) continue;
  const template = JSON.parse(readFileSync(join(OUT, artifact.properties.templateFile), 'utf8')) as {
    Resources: Record<string, Resource>;
  };
  for (const [id, r] of Object.entries(template.Resources)) {
    const asset = r.Metadata?.['aws:asset:path'];
    // The project's functions (index.js); the CDK's own trigger provider is not one of them.
    if (r.Type !== 'AWS::Lambda::Function' || !asset || id.startsWith('AWSCDK')) continue;
    // Outside this repository (its package.json says "type": "module"), as in Lambda's /var/task: loaded as CJS.
    const name = id.replace(/[0-9A-F]{8}$/, '');
    const dir = join(TASK_ROOT, name);
    cpSync(join(OUT, asset), dir, { recursive: true });
    const env = (r.Properties.Environment as { Variables?: Record<string, string> } | undefined)?.Variables;
    const shippedBytes = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    bundles.push({ name, file: join(dir, 'index.js'), nodeOptions: env?.NODE_OPTIONS ?? '', shippedBytes });
  }
}
if (bundles.length === 0) throw new Error(`no function bundles in ${OUT}: run npx cdk synth --quiet first`);

const empty = baseline('empty', 'export const handler = async () => ({});');
const sdk = baseline(
  'ddb-sdk',
  `import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
export const handler = async () => db.config.region;`,
);
// The same client bundled as the functions are (cdk/bundling/options.ts): the floor of any function that uses it.
const lean = baseline(
  "ddb-sdk, functions' bundling",
  readFileSync(join(sdk.file, '../entry.ts'), 'utf8'),
  true,
);
const sdkMs = median(sdk.file);
const rows = ([empty, sdk, lean, ...bundles] as Bundle[]).map((b) => {
  const ms = b === sdk ? sdkMs : median(b.file, b.nodeOptions);
  const bytes = b.shippedBytes ?? statSync(b.file).size;
  return { ...b, kb: bytes / 1024, ms };
});
const pad = (s: string, n: number) => s.padEnd(n);
console.log(`${RUNS} runs per bundle, median init; ratio = init / init of the DynamoDB-client baseline\n`);
const flags = [...new Set(bundles.map((b) => b.nodeOptions || '(none)'))].join(', ');
console.log(`what ships: every file of each asset folder; NODE_OPTIONS of the functions: ${flags}\n`);
console.log(`${pad('bundle', 44)} ${'KB'.padStart(8)} ${'init ms'.padStart(8)} ${'ratio'.padStart(6)}`);
for (const r of rows) {
  console.log(
    `${pad(r.name, 44)} ${r.kb.toFixed(0).padStart(8)} ${r.ms.toFixed(0).padStart(8)} ${(r.ms / sdkMs).toFixed(2).padStart(6)}`,
  );
}
const fns = rows.slice(3);
const total = fns.reduce((s, r) => s + r.kb, 0);
const sorted = [...fns].sort((a, b) => a.ms - b.ms);
console.log(
  `\n${fns.length} functions: ${(total / 1024).toFixed(1)} MB in all; size ${Math.min(...fns.map((r) => r.kb)).toFixed(0)}-${Math.max(...fns.map((r) => r.kb)).toFixed(0)} KB; init ${sorted[0]?.ms.toFixed(0)}-${sorted.at(-1)?.ms.toFixed(0)} ms (median ${sorted[Math.floor(sorted.length / 2)]?.ms.toFixed(0)} ms)`,
);
