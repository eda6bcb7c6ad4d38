import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** Names of the two tables; AWS and local runs use the same design, only the names differ. */
export interface TableNames {
  /** Drain mode, fence shards and audit records (pk, sk). */
  readonly control: string;
  /** One item per inflight intent (id). */
  readonly intents: string;
}

export const tableNamesFor = (prefix: string): TableNames => ({
  control: `${prefix}-control`,
  intents: `${prefix}-intents`,
});

/** GSI over (shard, created_at): the oldest inflight intent is the first item of one of the shard partitions. */
export const BY_AGE_INDEX = 'by-age';
/** Sparse GSI over (ibc_shard, created_at): only intents with a pending IBC packet carry `ibc_shard`. */
export const PENDING_IBC_INDEX = 'pending-ibc';

/** CreateTable inputs for both tables (on-demand billing). CDK mirrors these key schemas. */
export function tableDefinitions(names: TableNames): CreateTableCommandInput[] {
  return [
    {
      TableName: names.control,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
    },
    {
      TableName: names.intents,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'shard', AttributeType: 'N' },
        { AttributeName: 'ibc_shard', AttributeType: 'N' },
        { AttributeName: 'created_at', AttributeType: 'N' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: BY_AGE_INDEX,
          KeySchema: [
            { AttributeName: 'shard', KeyType: 'HASH' },
            { AttributeName: 'created_at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: PENDING_IBC_INDEX,
          KeySchema: [
            { AttributeName: 'ibc_shard', KeyType: 'HASH' },
            { AttributeName: 'created_at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    },
  ];
}
