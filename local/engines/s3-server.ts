import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { freePort } from './free-port.ts';

export interface LocalS3 {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/**
 * The local S3 server (s3rver) on loopback, keeping objects in `directory` (a temporary folder when omitted).
 * It ignores checksums and conditional headers and has no versioning: checkpoints carry their own hashes.
 */
export async function startLocalS3(opts: {
  directory?: string;
  bucket: string;
  port?: number;
}): Promise<LocalS3> {
  const directory = opts.directory ?? mkdtempSync(join(tmpdir(), 'ucp-s3-'));
  mkdirSync(directory, { recursive: true });
  const port = opts.port ?? (await freePort());
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory,
    configureBuckets: [{ name: opts.bucket }],
  });
  await server.run();
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => server.close() };
}
