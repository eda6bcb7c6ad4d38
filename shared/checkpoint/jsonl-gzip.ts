import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';

/** Counts bytes and hashes them as they pass. */
export class HashTap extends Transform {
  private readonly hash = createHash('sha256');
  bytes = 0;
  override _transform(
    chunk: Buffer,
    _enc: BufferEncoding,
    done: (err?: Error | null, data?: Buffer) => void,
  ): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    done(null, chunk);
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

export interface PartStats {
  readonly records: number;
  readonly sha256: string;
  readonly bytes: number;
}

/**
 * A gzip JSON Lines writer: `write` a page of records at a time (it waits when the consumer is behind, so memory stays
 * bounded whatever the number of records), then `end`. `stream` is what gets uploaded; `done` gives the count,
 * the SHA-256 and the size of the compressed bytes.
 */
export class JsonLinesGzipWriter {
  readonly stream = new PassThrough();
  readonly done: Promise<PartStats>;
  private readonly gzip = createGzip({ level: 4 });
  private readonly tap = new HashTap();
  private records = 0;

  constructor() {
    this.done = pipeline(this.gzip, this.tap, this.stream).then(() => ({
      records: this.records,
      sha256: this.tap.digest(),
      bytes: this.tap.bytes,
    }));
    this.done.catch(() => {}); // surfaced through `done` by whoever awaits it
  }

  /** Writes a batch of records as one chunk (zlib works per chunk: one line at a time would be slow). */
  async write(records: readonly unknown[]): Promise<void> {
    if (records.length === 0) return;
    if (this.gzip.destroyed) {
      await this.done; // rejects with the reason it was destroyed
      throw new Error('checkpoint part writer already closed');
    }
    this.records += records.length;
    let chunk = '';
    for (const r of records) chunk += `${JSON.stringify(r)}\n`;
    if (!this.gzip.write(chunk)) await once(this.gzip, 'drain');
  }

  /** Stops the part (its upload failed, or another part did): `done` and any waiting `write` reject with `err`. */
  abort(err: Error): void {
    this.gzip.destroy(err);
  }

  async end(): Promise<PartStats> {
    this.gzip.end();
    return this.done;
  }
}
