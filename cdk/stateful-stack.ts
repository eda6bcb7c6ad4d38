import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { PACKET_INDEX } from '../shared/adapters/dynamodb/tables.ts';
import { ProducerAccess } from './producer-access.ts';
import type { ServiceSettings } from './service-settings.ts';

export interface StatefulProps extends StackProps {
  /** Checkpoint retention in days (default 30): the bucket's lifecycle expiry. */
  readonly retentionDays: number;
  readonly warmThroughput: ServiceSettings['warmThroughput'];
}

/** Everything that holds data: tables, the checkpoint bucket, the signer secret, the alarm topic. Retained on delete. */
export class StatefulStack extends Stack {
  readonly controlTable: Table;
  readonly intentsTable: Table;
  readonly checkpointBucket: Bucket;
  readonly signerSecret: Secret;
  readonly alarmTopic: Topic;
  /** Upgrade proposal announcements (propose, approvals, timelock, execute, veto): not the alarm topic. */
  readonly proposalTopic: Topic;
  readonly key: Key;
  readonly producer: ProducerAccess;

  constructor(scope: Construct, id: string, props: StatefulProps) {
    super(scope, id, props);
    this.key = new Key(this, 'DataKey', {
      enableKeyRotation: true,
      description: 'upgrade control plane data',
    });
    // CloudWatch alarms publish to the encrypted topic.
    this.key.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const tableDefaults = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    // Mode record, fence gates, audit, upgrades, checkpoint index (pk, sk). `expires_at` is the TTL of index entries.
    this.controlTable = new Table(this, 'Control', {
      ...tableDefaults,
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      timeToLiveAttribute: 'expires_at',
      // Every registration reads its gate here (strongly consistent).
      warmThroughput: { readUnitsPerSecond: props.warmThroughput.controlReads, writeUnitsPerSecond: 4_000 },
    });
    // One item per inflight intent in its fence shard's partition (see docs/fence-design.md).
    this.intentsTable = new Table(this, 'Intents', {
      ...tableDefaults,
      partitionKey: { name: 'shard', type: AttributeType.NUMBER },
      sortKey: { name: 'id', type: AttributeType.STRING },
      // Every registration, PATCH and completion writes here.
      warmThroughput: { readUnitsPerSecond: 12_000, writeUnitsPerSecond: props.warmThroughput.intentsWrites },
    });
    // Sparse: only the intents that carry IBC packets have ibc_shard (shared/adapters/dynamodb/tables.ts).
    this.intentsTable.addGlobalSecondaryIndex({
      indexName: PACKET_INDEX,
      partitionKey: { name: 'ibc_shard', type: AttributeType.NUMBER },
      sortKey: { name: 'id', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    // Producers that run the fence themselves (client/): the intent routes' access as a policy, and a role.
    this.producer = new ProducerAccess(this, 'Producer', {
      control: this.controlTable,
      intents: this.intentsTable,
      key: this.key,
    });
    const accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.checkpointBucket = new Bucket(this, 'Checkpoints', {
      versioned: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: this.key,
      bucketKeyEnabled: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'checkpoints/',
      lifecycleRules: [
        {
          id: 'checkpoint-retention',
          expiration: Duration.days(props.retentionDays),
          noncurrentVersionExpiration: Duration.days(props.retentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.signerSecret = new Secret(this, 'ChainSigner', {
      description:
        'Mnemonic of the CosmWasm contract admin (signer): put it here with `aws secretsmanager put-secret-value`',
      encryptionKey: this.key,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.alarmTopic = new Topic(this, 'Alarms', {
      displayName: 'Upgrade control plane alarms',
      masterKey: this.key,
      enforceSSL: true,
    });
    // Retained like the rest of this stack: subscriptions (pagers, mail) survive a stack replacement.
    this.alarmTopic.applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.proposalTopic = new Topic(this, 'Proposals', {
      displayName: 'Upgrade proposals: what changes, when it executes, how to object',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.proposalTopic.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}
