import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

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
    this.records += records.length;
    let chunk = '';
    for (const r of records) chunk += `${JSON.stringify(r)}\n`;
    if (!this.gzip.write(chunk)) await once(this.gzip, 'drain');
  }

  async end(): Promise<PartStats> {
    this.gzip.end();
    return this.done;
  }
}

/** Reads gzip JSON Lines back, hashing the compressed bytes; `onRecord` sees each parsed record in order. */
export async function readGzipJsonLines(
  body: Readable,
  onRecord: (record: unknown) => Promise<void> | void,
): Promise<PartStats> {
  const tap = new HashTap();
  const gunzip = createGunzip();
  const piped = pipeline(body, tap, gunzip);
  piped.catch(() => {}); // the same error also ends the loop below; it is rethrown by `await piped`
  let records = 0;
  const rl = createInterface({ input: gunzip, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of rl) {
    if (line === '') continue;
    records++;
    await onRecord(JSON.parse(line));
  }
  await piped;
  return { records, sha256: tap.digest(), bytes: tap.bytes };
}
