import type { StoredRecord } from './migration.ts';

/** Raw access to the stored intent records, for checkpoints and version migrations. */
export interface RecordStore {
  /** Every stored record, page by page (parallel segments on large tables), strongly consistent. */
  pages(segments?: number): AsyncIterable<StoredRecord[]>;
  /** Replaces a record only while its protocol_version is still `expectedVersion`; false when it moved on or is gone. */
  replaceIfVersion(record: StoredRecord, expectedVersion: string): Promise<boolean>;
  /** Puts back a checkpointed record if the intent is still inflight; 'gone' when it completed meanwhile. */
  putIfPresent(record: StoredRecord): Promise<'restored' | 'gone'>;
}
