#!/usr/bin/env node
// `ucp …` (./bin/ucp.mjs, `npm link`, or `npx ucp`): the operator CLI. Runs the prebuilt bundle (dist/ucp.mjs, built by
// `npm ci` and `npm run build:cli`) while it is newer than every source it was built from; otherwise, as after an
// edit, the TypeScript sources through tsx, so a stale bundle never runs. UCP_TRACE=1 says which one ran.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bundle = join(root, 'dist/ucp.mjs');

function bundleIsFresh() {
  try {
    const built = statSync(bundle).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(join(root, 'dist/ucp.meta.json'), 'utf8'));
    return inputs.every((f) => statSync(join(root, f)).mtimeMs <= built);
  } catch {
    return false;
  }
}

const trace = (line) => process.env.UCP_TRACE === '1' && process.stderr.write(`ucp: ${line}\n`);
if (process.env.UCP_FROM_SOURCE !== '1' && bundleIsFresh()) {
  trace('running the prebuilt dist/ucp.mjs');
  await import(bundle);
} else {
  trace('running the TypeScript sources through tsx (no fresh dist/ucp.mjs: npm run build:cli)');
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
