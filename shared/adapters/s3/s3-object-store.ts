import { Readable } from 'node:stream';
import { GetObjectCommand, HeadBucketCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { ObjectStore } from '../../checkpoint/object-store.ts';
import { NotFoundError } from '../../domain/errors.ts';

export interface S3Options {
  readonly bucket: string;
  /** Set for the local S3 server; unset on AWS. */
  readonly endpoint?: string | undefined;
  readonly region?: string | undefined;
  /** Each request's timeout; the SDK retries a timed-out or 5xx request (a buffered part is resent whole). */
  readonly requestTimeoutMs?: number;
}

/**
 * Checkpoint objects in S3. Checksums are computed only when required: with the SDK's default flexible checksums
 * the local S3 server stores streamed bodies with their aws-chunked framing (corrupt, without error).
 */
export class S3ObjectStore implements ObjectStore {
  private readonly s3: S3Client;

  constructor(private readonly opts: S3Options) {
    const local = opts.endpoint !== undefined;
    this.s3 = new S3Client({
      region: opts.region ?? (local ? 'us-east-1' : undefined),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      maxAttempts: 3,
      requestHandler: {
        connectionTimeout: 1_000,
        requestTimeout: opts.requestTimeoutMs ?? 30_000,
        throwOnRequestTimeout: true,
      },
      ...(local
        ? {
            endpoint: opts.endpoint,
            forcePathStyle: true,
            credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
          }
        : {}),
    });
  }

  async put(key: string, body: Readable | Buffer, contentType: string): Promise<void> {
    const upload = new Upload({
      client: this.s3,
      params: { Bucket: this.opts.bucket, Key: key, Body: body, ContentType: contentType },
      queueSize: 2,
      partSize: 5 * 1024 * 1024,
    });
    await upload.done();
  }

  async get(key: string): Promise<Readable> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.opts.bucket, Key: key }));
      if (!(out.Body instanceof Readable))
        throw new Error(`object ${key}: S3 answered without a readable body`);
      // The caller owns the stream from here (it pipes it, which handles and forwards its errors).
      return out.Body;
    } catch (err) {
      if (err instanceof NoSuchKey) throw new NotFoundError(`no object ${key} in bucket ${this.opts.bucket}`);
      throw err;
    }
  }

  async ping(): Promise<void> {
    await this.s3.send(new HeadBucketCommand({ Bucket: this.opts.bucket }));
  }
}
