#!/usr/bin/env node
// Builds the prebuilt `ucp` (dist/ucp.mjs) with esbuild, so the CLI starts without compiling TypeScript at each run.
// Run by `npm ci`/`npm install` (the `prepare` script) and by `npm run build:cli`. bin/ucp.mjs uses the bundle while it
// is newer than every source it was built from (dist/ucp.meta.json lists them), and tsx otherwise.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const result = await build({
  entryPoints: [join(root, 'cli/main.ts')],
  outfile: join(root, 'dist/ucp.mjs'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  metafile: true,
  logLevel: 'warning',
  // commander and the SDK are CommonJS: give the ES bundle a require for their requires of Node's modules.
  banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
});
const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
writeFileSync(join(root, 'dist/ucp.meta.json'), `${JSON.stringify({ inputs }, null, 1)}\n`);
