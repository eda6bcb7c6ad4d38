import type { CreateTableCommandInput, GlobalSecondaryIndex } from '@aws-sdk/client-dynamodb';

/** Names of the two tables; AWS and local runs use the same design, only the names differ. */
export interface TableNames {
  /** Drain mode, fence gates and audit records (pk, sk). */
  readonly control: string;
  /** One item per inflight intent, in its fence shard's partition (shard, id). */
  readonly intents: string;
}

export const tableNamesFor = (prefix: string): TableNames => ({
  control: `${prefix}-control`,
  intents: `${prefix}-intents`,
});

/**
 * The intents table's sparse index of the intents that carry IBC packets: keyed (ibc_shard, id), where `ibc_shard`
 * is the item's shard, set only while its packet list is non-empty. Intents without packets are not in it, so they
 * cost it no write; GET /admin/ibc/pending reads it instead of scanning the table. Projects every attribute.
 */
export const PACKET_INDEX = 'ibc-packets';

/** The index as CreateTable and UpdateTable take it (the CDK app mirrors it). */
export const packetIndex: GlobalSecondaryIndex = {
  IndexName: PACKET_INDEX,
  KeySchema: [
    { AttributeName: 'ibc_shard', KeyType: 'HASH' },
    { AttributeName: 'id', KeyType: 'RANGE' },
  ],
  Projection: { ProjectionType: 'ALL' },
};

/** CreateTable inputs for both tables (on-demand billing). The CDK app mirrors these key schemas. */
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
      KeySchema: [
        { AttributeName: 'shard', KeyType: 'HASH' },
        { AttributeName: 'id', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'shard', AttributeType: 'N' },
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'ibc_shard', AttributeType: 'N' },
      ],
      GlobalSecondaryIndexes: [packetIndex],
    },
  ];
}
