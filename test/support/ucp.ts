import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import { runUcp } from '../../cli/ucp.ts';

export interface UcpRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON (under --json), or null. */
  readonly json: Record<string, unknown> | null;
}

/** Runs `ucp` in this process (the same program the bin runs), capturing what it prints and its exit code. */
export async function ucp(...args: string[]): Promise<UcpRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
    stdout += String(c);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => {
    stderr += String(c);
    return true;
  });
  try {
    const code = await runUcp(args);
    let json: Record<string, unknown> | null = null;
    try {
      json = JSON.parse(stdout) as Record<string, unknown>;
    } catch {
      json = null;
    }
    return { code, stdout, stderr, json };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A data folder as `npm start` leaves it: where the stack listens, its tokens, the operators' own tokens. */
export function stackDataDir(url: string, admin: string, operators: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ucp-cli-'));
  writeFileSync(join(dir, 'endpoint.json'), JSON.stringify({ url, pid: process.pid }));
  writeFileSync(join(dir, 'tokens.json'), JSON.stringify({ admin, intent: 'unused-intent-token' }));
  writeFileSync(join(dir, 'operators.json'), JSON.stringify(operators));
  return dir;
}
