import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Proposal, ProposalStore } from '../../approval/proposal.ts';
import { writtenIf } from './conditional-write.ts';
import { getKeyed, listNewest } from './keyed-items.ts';

const PK = 'PROPOSALS';

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

  get(id: string): Promise<Proposal | null> {
    return getKeyed<Proposal>(this.db, this.table, PK, id);
  }

  list(limit: number): Promise<Proposal[]> {
    return listNewest<Proposal>(this.db, this.table, PK, limit);
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
