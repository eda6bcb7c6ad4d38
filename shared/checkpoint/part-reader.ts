import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { HashTap, type PartStats } from './jsonl-gzip.ts';
import type { CheckpointPart } from './manifest.ts';
import type { ObjectStore } from './object-store.ts';

/** The stored bytes of a part are not what was written: bad gzip, a line that is not JSON, a wrong hash or size. */
export class CorruptPartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorruptPartError';
  }
}

/** No record line is anywhere near this long (DynamoDB items stop at 400 KB): longer means garbage. */
const MAX_LINE_CHARS = 4 * 1024 * 1024;

const isZlibError = (err: unknown) => /^Z_/.test(String((err as { code?: unknown }).code ?? ''));

/**
 * Reads gzip JSON Lines back, hashing the compressed bytes; `onRecord` sees each parsed record in order.
 * One `pipeline` owns every stream, so an error anywhere (the body, gunzip, a line that is not JSON, `onRecord`)
 * destroys them all and rejects here, never as an unhandled 'error' event. Bad gzip or JSON rejects with a
 * CorruptPartError; any other error (the store, `onRecord`) as it was. It settles only once `onRecord` has returned.
 */
export async function readGzipJsonLines(
  body: Readable,
  onRecord: (record: unknown) => Promise<void> | void,
): Promise<PartStats> {
  const tap = new HashTap();
  let records = 0;
  let consuming: Promise<void> = Promise.resolve();
  const consume = (source: AsyncIterable<Buffer>): Promise<void> => {
    consuming = eachLine(source, async (line) => {
      records++;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        throw new CorruptPartError(`line ${records} is not JSON`); // the parser's message would echo the data
      }
      await onRecord(record);
    });
    return consuming;
  };
  try {
    await pipeline(body, tap, createGunzip(), consume);
  } catch (err) {
    // Never return while an `onRecord` is still running. When the consumer threw, the pipeline reports only the
    // AbortError of the streams it then destroyed: the consumer's own error says why.
    const own = await consuming.then(
      () => undefined,
      (e: unknown) => e,
    );
    const cause = (err as Error).name === 'AbortError' && own !== undefined ? own : err;
    if (isZlibError(cause)) throw new CorruptPartError(`gzip: ${(cause as Error).message}`);
    throw cause;
  }
  return { records, sha256: tap.digest(), bytes: tap.bytes };
}

/** Splits UTF-8 bytes into non-empty lines, one at a time, waiting for `onLine` before the next. */
async function eachLine(source: AsyncIterable<Buffer>, onLine: (line: string) => Promise<void>) {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  for await (const chunk of source) {
    carry += decoder.write(chunk);
    let start = 0;
    for (let nl = carry.indexOf('\n'); nl !== -1; nl = carry.indexOf('\n', start)) {
      const line = carry.slice(start, nl);
      start = nl + 1;
      if (line !== '') await onLine(line);
    }
    carry = carry.slice(start);
    if (carry.length > MAX_LINE_CHARS)
      throw new CorruptPartError(`a line longer than ${MAX_LINE_CHARS} characters`);
  }
  carry += decoder.end();
  if (carry !== '') await onLine(carry);
}

/** Checks stored stats against the manifest's; the reasons they differ (empty when they agree). */
export function statsProblems(part: CheckpointPart, got: PartStats): string[] {
  const problems: string[] = [];
  if (got.sha256 !== part.sha256)
    problems.push(`sha256 differs from the manifest (${got.bytes} bytes, manifest says ${part.bytes})`);
  if (got.records !== part.records) problems.push(`${got.records} records, manifest says ${part.records}`);
  return problems;
}

/**
 * Copies a part to a local temporary file, hashing it on the way, and hands `use` a way to read that file only once
 * its SHA-256 and size match the manifest (else a CorruptPartError, before `use` sees a byte). The file is removed
 * afterwards. So a restore never writes a record from bytes it has not verified, even if the stored object changed
 * after validation. Disk use is the compressed size of the part.
 */
export async function withVerifiedPart<T>(
  objects: ObjectStore,
  part: CheckpointPart,
  use: (open: () => Readable) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'ckpt-part-'));
  try {
    const file = join(dir, 'part.jsonl.gz');
    const tap = new HashTap();
    await pipeline(await objects.get(part.key), tap, createWriteStream(file));
    const sha256 = tap.digest();
    if (sha256 !== part.sha256 || tap.bytes !== part.bytes)
      throw new CorruptPartError(
        `sha256 differs from the manifest (${tap.bytes} bytes, manifest says ${part.bytes})`,
      );
    return await use(() => createReadStream(file));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
