import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Proposal, ProposalStore } from '../../approval/proposal.ts';
import { writtenIf } from './conditional-write.ts';

const PK = 'PROPOSALS';
const strip = (item: Record<string, unknown>): Proposal => {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as Proposal;
};

/**
 * Proposals in the control table: PROPOSALS/<id>, one item each (ids sort by creation time). Every write is
 * conditional on the version it read, so two approvals at once never lose one.
 */
export class DynamoProposalStore implements ProposalStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async create(p: Proposal): Promise<boolean> {
    return this.put(p, 'attribute_not_exists(pk)', {});
  }

  async get(id: string): Promise<Proposal | null> {
    const out = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: PK, sk: id }, ConsistentRead: true }),
    );
    return out.Item ? strip(out.Item) : null;
  }

  async list(limit: number): Promise<Proposal[]> {
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': PK },
        ScanIndexForward: false,
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map(strip);
  }

  async replace(next: Proposal): Promise<boolean> {
    return this.put(next, '#v = :read', { ':read': next.version - 1 });
  }

  private async put(p: Proposal, condition: string, values: Record<string, unknown>): Promise<boolean> {
    return writtenIf(
      this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { pk: PK, sk: p.id, ...p },
          ConditionExpression: condition,
          ...(condition.includes('#v') ? { ExpressionAttributeNames: { '#v': 'version' } } : {}),
          ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
        }),
      ),
    );
  }
}
