import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { WORKFLOW_TASK_ENTRIES } from '../shared/upgrade/workflow/definition.ts';

/**
 * The busiest routes: what a producer calls for every intent, and what the drain watchers poll. (GET /health is
 * not among them: it asks the workflow engine whether an upgrade's execution still runs.)
 */
const LEAN_ROUTES = [
  'intent-register',
  'intent-update',
  'intent-complete',
  'drain-status',
  'drain-start',
  'inflight-list',
];
/** Packages those routes never need: the chain, the classic zod build, checkpoint hashing, S3, SFN, Scheduler. */
const HEAVY = [
  /node_modules\/@cosmjs\//,
  /node_modules\/cosmjs-types\//,
  /node_modules\/zod\/v4\/classic\//,
  /node_modules\/hash-wasm\//,
  /node_modules\/@aws-sdk\/client-(s3|sfn|scheduler|secrets-manager)\//,
];

/** Bundles a handler as the CDK app does (minified, SDK external as measured today) and lists its inputs. */
async function bundle(route: string): Promise<{ inputs: string[]; bytes: number }> {
  const out = await build({
    entryPoints: [`lambdas/${route}.ts`],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const [file] = Object.values(out.metafile.outputs);
  return { inputs: Object.keys(file?.inputs ?? {}), bytes: file?.bytes ?? 0 };
}

describe('each bundle holds only what its route uses', () => {
  it.each(LEAN_ROUTES)(
    '%s carries no chain, checkpoint or workflow code and stays under 250 KB',
    async (route) => {
      const { inputs, bytes } = await bundle(route);
      const heavy = inputs.filter((i) => HEAVY.some((h) => h.test(i)));
      expect(heavy, `${route} pulls in ${heavy.slice(0, 5).join(', ')}`).toEqual([]);
      expect(bytes).toBeLessThan(250 * 1024);
    },
  );

  it('only the Tasks the workflow table lets reach the chain carry CosmJS and the signer', async () => {
    const cosmjs = /node_modules\/@cosmjs\//;
    const carrying: string[] = [];
    for (const task of new Map(WORKFLOW_TASK_ENTRIES.map((t) => [t.handler, t])).values()) {
      const { inputs } = await bundle(`workflow/${task.handler}`);
      if (inputs.some((i) => cosmjs.test(i))) carrying.push(task.handler);
    }
    const chainTasks = [
      ...new Set(WORKFLOW_TASK_ENTRIES.filter((t) => t.access.chain).map((t) => t.handler)),
    ];
    expect(carrying.sort()).toEqual(chainTasks.sort());
    expect(chainTasks.length).toBeGreaterThan(0);
  }, 120_000);

  it('the upgrade routes do carry the workflow engine (the check above can fail)', async () => {
    const { inputs } = await bundle('upgrade-start');
    expect(inputs.some((i) => /client-sfn/.test(i) || /aws-workflow-engine/.test(i))).toBe(true);
  });
});
