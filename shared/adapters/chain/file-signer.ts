import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { normaliseMnemonic, type SignerSource } from '../../chain/signer-source.ts';

/**
 * Reads the signer's mnemonic from a file (default `signer.mnemonic` in the data folder). The file
 * is read on each call, so rotating it needs no restart. The mnemonic is never logged, and error
 * messages name the file, never its content.
 */
export class FileSignerSource implements SignerSource {
  readonly path: string;

  /** `file` is absolute, or relative to `dataDir`. */
  constructor(dataDir: string, file = 'signer.mnemonic') {
    this.path = isAbsolute(file) ? file : join(dataDir, file);
  }

  async mnemonic(): Promise<string> {
    let raw: string;
    try {
      raw = await readFile(this.path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new Error(`Cannot read the signer mnemonic file ${this.path}: ${code}`);
    }
    return normaliseMnemonic(raw, `file ${this.path}`);
  }
}
