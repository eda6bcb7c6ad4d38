import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.ts';
import { approvalEnv, OPERATORS } from '../support/operators.ts';

/**
 * Runs the bash blocks of docs/operations.md that call curl as written, in order, through a real shell and curl, against the local
 * stack. The shell's working directory holds a `.data/` folder as `npm start` leaves it (endpoint, tokens, operators),
 * so the "Variables" block works unchanged. Each curl must answer 2xx, unless the comment on its line starts with a
 * status (`# 503, ...`); a curl in a `while`/`until` line is a poll, run any number of times and not counted. A block
 * after `<!-- not-run: reason -->` is left out; one after `<!-- stack: approvals -->`
 * runs against a stack with an approval policy (2 of alice, bob, carol).
 */
const DOC = join(import.meta.dirname, '../../docs/operations.md');

interface Block {
  readonly code: string;
  readonly stack: 'plain' | 'approvals';
  readonly notRun: string | null;
  readonly line: number;
}

/** The doc's ```bash blocks, each with the marker comment just before it. */
function bashBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] !== '```bash') continue;
    const marker = lines[i - 1] ?? '';
    const end = lines.indexOf('```', i + 1);
    blocks.push({
      code: lines.slice(i + 1, end).join('\n'),
      stack: /<!-- stack: approvals -->/.test(marker) ? 'approvals' : 'plain',
      notRun: /<!-- not-run: (.+) -->/.exec(marker)?.[1] ?? null,
      line: i + 1,
    });
    i = end;
  }
  return blocks;
}

/** A line that polls until something holds: its curl calls are not counted (they run as `command curl`). */
const POLL = /^\s*(while|until)\s/;

/** One expectation per curl command (continuation lines joined): the status its comment names, else any 2xx. */
function expectedStatuses(code: string): { command: string; status: number | null }[] {
  return code
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => /(^|[\s($])curl\s/.test(l) && !POLL.test(l))
    .map((l) => ({ command: l.trim(), status: Number(/#\s*(\d{3})\b/.exec(l)?.[1]) || null }));
}

/** curl as a shell function: the body still goes to stdout, each call's status to the log, in order. */
const CURL_LOGGER = `curl() { local out; out=$(mktemp); command curl -o "$out" -w '%{http_code}\\n' "$@" >> "$STATUS_LOG"; cat "$out"; rm -f "$out"; }`;

/** A working directory with `.data/` as `npm start` writes it for this stack. */
function dataDir(api: TestApi): string {
  const dir = mkdtempSync(join(tmpdir(), 'ucp-docs-'));
  mkdirSync(join(dir, '.data'));
  writeFileSync(join(dir, '.data/endpoint.json'), JSON.stringify({ url: api.url, pid: process.pid }));
  writeFileSync(
    join(dir, '.data/tokens.json'),
    JSON.stringify({ admin: api.adminToken, intent: api.intentToken }),
  );
  writeFileSync(join(dir, '.data/operators.json'), JSON.stringify(OPERATORS));
  return dir;
}

/** Runs the variables block and then `blocks` in one bash, and compares each curl's status with the doc's. */
async function runBlocks(api: TestApi, variables: Block, blocks: Block[]): Promise<void> {
  const dir = dataDir(api);
  try {
    const log = join(dir, 'statuses');
    writeFileSync(log, '');
    const polls = (code: string) =>
      code
        .split('\n')
        .map((l) => (POLL.test(l) ? l.replace(/(^|[\s($])curl\s/g, '$1command curl ') : l))
        .join('\n');
    const script = ['set -e', CURL_LOGGER, variables.code, ...blocks.map((b) => polls(b.code))].join('\n');
    // Asynchronously: the stack answering these calls runs in this process.
    const res = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('bash', ['-c', script], {
        cwd: dir,
        env: { ...process.env, STATUS_LOG: log, PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => {
        stdout += c.toString();
      });
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
      });
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(res.status, `${res.stderr}\n${res.stdout}`).toBe(0);
    const got = readFileSync(log, 'utf8').trim().split('\n').map(Number);
    const want = blocks.flatMap((b) => expectedStatuses(b.code));
    expect(got.length, `curl calls run: ${got.join(' ')}\n${res.stdout}`).toBe(want.length);
    want.forEach((w, i) => {
      const status = got[i] ?? 0;
      const ok = w.status === null ? status >= 200 && status < 300 : status === w.status;
      expect(ok, `${w.command}\nanswered ${status}, the doc says ${w.status ?? '2xx'}\n${res.stdout}`).toBe(
        true,
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const blocks = bashBlocks(readFileSync(DOC, 'utf8'));
const variables = blocks.find((b) => /^U=/m.test(b.code));
/** The blocks that call the API with curl (the `ucp` and `npm start` examples are not curl blocks). */
const curlBlocks = blocks.filter((b) => b.notRun === null && expectedStatuses(b.code).length > 0);

describe('docs/operations.md: its curl blocks work as written against the local stack', () => {
  it('has the blocks the runbook promises, and few left out, each with its reason', () => {
    expect(variables).toBeDefined();
    const skipped = blocks.filter((b) => b.notRun !== null);
    expect(skipped.length).toBeLessThanOrEqual(2);
    for (const b of skipped) expect(b.notRun?.length).toBeGreaterThan(10);
    expect(curlBlocks.length).toBeGreaterThan(3);
  });

  it('the drain, upgrade, checkpoint and schedule blocks, in order, on a stack without approvals', async () => {
    const api = await startTestApi();
    try {
      const plain = curlBlocks.filter((b) => b.stack === 'plain');
      await runBlocks(api, variables as Block, plain);
    } finally {
      await api.stop();
    }
  }, 120_000);

  it('the approvals block, on a stack with a 2-of-3 policy and a timelock', async () => {
    const api = await startTestApi(approvalEnv(600));
    try {
      const approvals = curlBlocks.filter((b) => b.stack === 'approvals');
      expect(approvals.length).toBe(1);
      await runBlocks(api, variables as Block, approvals);
    } finally {
      await api.stop();
    }
  }, 120_000);
});
