import { createHash } from 'node:crypto';
import { createInterface } from 'node:readline';
import { PassThrough, Readable, Transform } from 'node:stream';
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

/**
 * Turns an async stream of records into gzip JSON Lines, hashing the compressed bytes. Memory stays bounded by
 * the stream buffers whatever the number of records.
 */
export function gzipJsonLines(records: AsyncIterable<unknown>): {
  stream: PassThrough;
  done: Promise<{ records: number; sha256: string; bytes: number }>;
} {
  const out = new PassThrough();
  const tap = new HashTap();
  let count = 0;
  const lines = Readable.from(
    (async function* () {
      for await (const r of records) {
        count++;
        yield `${JSON.stringify(r)}\n`;
      }
    })(),
  );
  const done = pipeline(lines, createGzip(), tap, out).then(() => ({
    records: count,
    sha256: tap.digest(),
    bytes: tap.bytes,
  }));
  return { stream: out, done };
}

/** Reads gzip JSON Lines back, hashing the compressed bytes; `onRecord` sees each parsed record in order. */
export async function readGzipJsonLines(
  body: Readable,
  onRecord: (record: unknown) => Promise<void> | void,
): Promise<{ records: number; sha256: string; bytes: number }> {
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
