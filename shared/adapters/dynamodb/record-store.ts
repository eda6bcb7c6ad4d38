import { type DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredRecord } from '../../migration/migration.ts';
import type { RecordStore } from '../../migration/record-store.ts';
import { writtenIf } from './conditional-write.ts';

/** The intents table as raw records. Writes are conditional so that re-running a migration or restore is harmless. */
export class DynamoRecordStore implements RecordStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async *pages(segments = 1): AsyncIterable<StoredRecord[]> {
    if (segments <= 1) {
      yield* this.segment(undefined, undefined);
      return;
    }
    // Parallel scan: each segment is read by its own loop; pages are handed out as they arrive.
    const iterators = Array.from({ length: segments }, (_, s) =>
      this.segment(s, segments)[Symbol.asyncIterator](),
    );
    const pending = new Map(iterators.map((it, i) => [i, it.next().then((r) => ({ i, r }))]));
    while (pending.size) {
      const { i, r } = await Promise.race(pending.values());
      if (r.done) {
        pending.delete(i);
        continue;
      }
      pending.set(
        i,
        (iterators[i] as AsyncIterator<StoredRecord[]>).next().then((next) => ({ i, r: next })),
      );
      yield r.value;
    }
  }

  async replaceIfVersion(record: StoredRecord, expectedVersion: string): Promise<boolean> {
    return writtenIf(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: record,
          ConditionExpression: 'attribute_exists(id) AND protocol_version = :v',
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      ),
    );
  }

  async putIfPresent(record: StoredRecord): Promise<'restored' | 'gone'> {
    const restored = await writtenIf(
      this.db.send(
        new PutCommand({ TableName: this.table, Item: record, ConditionExpression: 'attribute_exists(id)' }),
      ),
    );
    return restored ? 'restored' : 'gone';
  }

  private async *segment(
    segment: number | undefined,
    total: number | undefined,
  ): AsyncIterable<StoredRecord[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new ScanCommand({
          TableName: this.table,
          ConsistentRead: true,
          ExclusiveStartKey: start,
          ...(total ? { Segment: segment, TotalSegments: total } : {}),
        }),
      );
      if (out.Items?.length) yield out.Items as StoredRecord[];
      start = out.LastEvaluatedKey;
    } while (start);
  }
}
