import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSignerSource } from '../../shared/adapters/chain/file-signer.ts';

const WORDS = 'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';

describe('FileSignerSource', () => {
  it('reads and normalises a mnemonic from the data folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signer-'));
    await writeFile(join(dir, 'signer.mnemonic'), `  ${WORDS.replaceAll(' ', '\n  ')}\n`);
    expect(await new FileSignerSource(dir).mnemonic()).toBe(WORDS);
  });

  it('names a missing file without leaking anything else', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signer-'));
    const source = new FileSignerSource(dir, 'absent.mnemonic');
    await expect(source.mnemonic()).rejects.toThrow(
      `Cannot read the signer mnemonic file ${join(dir, 'absent.mnemonic')}: ENOENT`,
    );
  });

  it('refuses a file that is not a mnemonic without quoting it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signer-'));
    await writeFile(join(dir, 'signer.mnemonic'), 'hunter2\n');
    const error: unknown = await new FileSignerSource(dir).mnemonic().catch((e: unknown) => e);
    expect(String(error)).toMatch(/has 1 words/);
    expect(String(error)).not.toContain('hunter2');
  });
});
