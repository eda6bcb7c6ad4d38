import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cloudAssembly } from './harness.ts';
import { LambdaRuntime } from './lambda.ts';
import { type FunctionSpec, readApp } from './template.ts';

const runtime = new LambdaRuntime(() => 'http://127.0.0.1:9');
let app: ReturnType<typeof readApp>;
// The synthesized app (a synth, when cdk.out is older than the sources, takes a minute or more).
beforeAll(() => {
  app = readApp(cloudAssembly());
}, 300_000);
afterAll(() => runtime.stop());

/** A function of the harness's own (not of the app): a bundle that never answers, with a 1 s timeout. */
function hangingFunction(): FunctionSpec {
  const dir = mkdtempSync(join(tmpdir(), 'ucp-hang-'));
  writeFileSync(join(dir, 'index.js'), 'exports.handler = () => new Promise(() => {});');
  return {
    logicalId: 'Hang',
    name: 'hang',
    arn: 'arn:aws:lambda:us-east-1:123456789012:function:hang',
    bundleDir: dir,
    handler: 'index.handler',
    environment: {},
    memoryMb: 128,
    timeoutSecs: 1,
    roleArn: 'arn:aws:iam::123456789012:role/hang',
    policies: [],
  };
}

describe('functions as Lambda runs them', () => {
  it('a function is stopped at its configured timeout and the caller gets Sandbox.Timedout', async () => {
    const fn = hangingFunction();
    const out = await runtime.invoke(fn, {});
    expect(out).toMatchObject({
      ok: false,
      error: {
        errorType: 'Sandbox.Timedout',
        errorMessage: expect.stringContaining('Task timed out after 1.00 seconds'),
      },
    });
    // The killed container is replaced: the next invocation runs (and times out) again.
    expect((await runtime.invoke(fn, {})).ok).toBe(false);
  });

  it('every bundle carries the AWS SDK (nothing left to the runtime) and keeps its error class names', () => {
    expect(app.functions.size).toBeGreaterThan(40);
    for (const fn of app.functions.values()) {
      const code = readFileSync(join(fn.bundleDir, 'index.js'), 'utf8');
      // (Only the SDK's optional signers, loaded on demand for SigV4a/CRT, which this app never uses, stay out.)
      expect(code, fn.name).not.toMatch(/require\(["']@aws-sdk\/(client|lib|credential|core)/);
      expect(code, fn.name).not.toMatch(/require\(["']@smithy\//);
    }
    const task = readFileSync(
      join(app.functions.get('TaskMarkUpgrading')?.bundleDir ?? '', 'index.js'),
      'utf8',
    );
    // Step Functions matches Retry/Catch on these names: minification must keep them.
    for (const name of ['IllegalTransitionError', 'ConflictError']) expect(task).toContain(`"${name}"`);
  });
});
