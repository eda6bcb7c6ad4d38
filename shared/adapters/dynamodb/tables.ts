import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

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
      ],
    },
  ];
}
