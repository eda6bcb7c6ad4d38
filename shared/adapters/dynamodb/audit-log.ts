import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditLog } from '../../domain/ports.ts';

const DAY_MS = 86_400_000;
const dayKey = (ms: number) => `AUDIT#${new Date(ms).toISOString().slice(0, 10)}`;

/** Audit records in the control table, one partition per UTC day (admin actions are rare), newest last by sort key. */
export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly lookbackDays = 7,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          pk: dayKey(entry.at),
          sk: `${new Date(entry.at).toISOString()}#${randomUUID()}`,
          at: entry.at,
          actor: entry.actor,
          action: entry.action,
          params: entry.params,
          outcome: entry.outcome,
          message: entry.message,
          correlation_id: entry.correlationId,
        },
      }),
    );
  }

  async recent(limit: number): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    const now = Date.now();
    for (let d = 0; d < this.lookbackDays && out.length < limit; d++) {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': dayKey(now - d * DAY_MS) },
          ScanIndexForward: false,
          Limit: limit - out.length,
          ConsistentRead: true,
        }),
      );
      for (const item of page.Items ?? []) {
        out.push({
          at: Number(item.at),
          actor: String(item.actor),
          action: String(item.action),
          params: (item.params ?? {}) as Record<string, unknown>,
          outcome: item.outcome as AuditEntry['outcome'],
          message: String(item.message),
          correlationId: (item.correlation_id as string | null) ?? null,
        });
      }
    }
    return out;
  }
}
