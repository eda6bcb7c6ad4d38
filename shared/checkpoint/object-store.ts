import type { Readable } from 'node:stream';

/** Where checkpoint parts and manifests live: S3 on AWS, the local S3 server otherwise. */
export interface ObjectStore {
  /** Streams `body` to `key` (multipart for large bodies). */
  put(key: string, body: Readable | Buffer, contentType: string): Promise<void>;
  /** The object's bytes as a stream; throws NotFoundError when there is no such object. */
  get(key: string): Promise<Readable>;
  /** Cheap reachability check for health. */
  ping(): Promise<void>;
}
