import type { ChainSettings, ServiceSettings } from './service-settings.ts';
import type { StatefulStack } from './stateful-stack.ts';

/** The environment every project function gets: its tables, bucket, policies and chain, for one instance. */
export function functionEnvironment(d: StatefulStack, s: ServiceSettings): Record<string, string> {
  return {
    CONTROL_TABLE: d.controlTable.tableName,
    INTENTS_TABLE: d.intentsTable.tableName,
    CHECKPOINT_BUCKET: d.checkpointBucket.bucketName,
    AUTH_MODE: 'iam',
    FENCE_SHARDS: String(s.fenceShards),
    RETENTION_DAYS: String(s.retentionDays),
    WORKFLOW_POLL_INTERVAL_SECS: '5',
    MAINTENANCE_WINDOWS: s.maintenanceWindows,
    OUTBOUND_POLICY: 'aws',
    ...(s.outboundAllow ? { OUTBOUND_ALLOW: s.outboundAllow } : {}),
    ...s.approval,
    BAKE_ALARMS: s.bakeAlarms.join(','),
    PROPOSAL_TOPIC_ARN: d.proposalTopic.topicArn,
    POWERTOOLS_SERVICE_NAME: s.names.service,
    POWERTOOLS_LOG_LEVEL: 'INFO',
    ...chainEnvironment(s.chain, d),
  };
}

function chainEnvironment(chain: ChainSettings, d: StatefulStack): Record<string, string> {
  if (!chain.rpcEndpoint) return {};
  return {
    CHAIN_RPC_ENDPOINT: chain.rpcEndpoint,
    CHAIN_ID: chain.chainId,
    CHAIN_PREFIX: chain.prefix,
    CHAIN_GAS_PRICE: chain.gasPrice,
    CHAIN_BROADCAST_POLL_MS: String(chain.broadcastPollMs),
    // The secret's ARN only: the mnemonic is read at run time and never enters the environment.
    SIGNER_SECRET_ID: d.signerSecret.secretArn,
  };
}
