#!/usr/bin/env node
// `npm test`: vitest's two projects (vitest.config.ts) as two processes side by side, the suite and the crash matrix.
// One vitest process runs projects of one worker each one after the other; the crash matrix spends most of its time
// waiting on stacks of its own, so beside the suite it costs little. Arguments go to both (a file filter included:
// a project with no matching file passes). `--outputFile.json=F` gets one report merged from the two.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const args = process.argv.slice(2);
const jsonArg = args.find((a) => a.startsWith('--outputFile.json='));
const jsonOut = jsonArg?.slice('--outputFile.json='.length);
const PROJECTS = ['suite', 'crash'];

function run(project) {
  const own = args.map((a) => (a === jsonArg ? `--outputFile.json=${jsonOut}.${project}` : a));
  const child = spawn(process.execPath, [vitest, 'run', '--project', project, '--passWithNoTests', ...own], {
    cwd: root,
    stdio: 'inherit',
  });
  const stop = (signal) => child.kill(signal);
  process.on('SIGINT', stop).on('SIGTERM', stop);
  return new Promise((done) => child.once('exit', (code, signal) => done(code ?? (signal ? 1 : 0))));
}

const codes = await Promise.all(PROJECTS.map(run));
if (jsonOut) {
  const reports = PROJECTS.map((p) => {
    try {
      return JSON.parse(readFileSync(`${jsonOut}.${p}`, 'utf8'));
    } catch {
      return null;
    } finally {
      rmSync(`${jsonOut}.${p}`, { force: true });
    }
  });
  if (reports.every(Boolean)) {
    const sum = (k) => reports.reduce((n, r) => n + (r[k] ?? 0), 0);
    const merged = { ...reports[0], testResults: reports.flatMap((r) => r.testResults) };
    for (const k of Object.keys(reports[0]))
      if (typeof reports[0][k] === 'number' && k.startsWith('num')) merged[k] = sum(k);
    merged.success = reports.every((r) => r.success);
    merged.startTime = Math.min(...reports.map((r) => r.startTime));
    writeFileSync(jsonOut, JSON.stringify(merged));
  }
}
const failed = codes.find((c) => c !== 0);
process.exitCode = failed ?? 0;
