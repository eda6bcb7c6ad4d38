import type { StoredRecord } from '../migration/migration.ts';

/** One page of a conversion pass: what it converted, redid after a concurrent write, read, and where it goes on. */
export interface ConversionPage {
  readonly converted: number;
  readonly retried: number;
  readonly scanned: number;
  /** Null once the pass has read every inflight intent. */
  readonly cursor: string | null;
}

/** Converts inflight intents of one protocol version in place, without losing a concurrent producer's write. */
export interface IntentConversion {
  convertPage(
    from: string,
    transform: (r: StoredRecord) => StoredRecord,
    cursor: string | null,
    limit: number,
  ): Promise<ConversionPage>;
}
