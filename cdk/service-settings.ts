import type { InstanceNames } from './instance.ts';

/** The chain for contract migrations (an empty endpoint: contract sections are refused with a message saying so). */
export interface ChainSettings {
  readonly rpcEndpoint: string;
  readonly chainId: string;
  readonly prefix: string;
  readonly gasPrice: string;
  /** How often a chain Task looks for its broadcast transaction in a block (about the chain's block time). */
  readonly broadcastPollMs: number;
}

/** What the service stacks (workflow, api, observability) are built from, besides the data stack. */
export interface ServiceSettings {
  readonly names: InstanceNames;
  readonly fenceShards: number;
  /**
   * Warm throughput of the tables, so a new deployment serves the design rate from its first second (a new
   * on-demand table starts at about 4,000 write and 12,000 read units a second): the intents table's write units
   * (`-c intentsWarmWrites`) and the control table's read units, the gate reads (`-c controlWarmReads`).
   */
  readonly warmThroughput: { readonly intentsWrites: number; readonly controlReads: number };
  readonly retentionDays: number;
  readonly maintenanceWindows: string;
  /** OUTBOUND_ALLOW of the functions: internal targets they may call (empty: none). */
  readonly outboundAllow?: string;
  readonly chain: ChainSettings;
  /** CloudWatch alarms an upgrade's bake may name as triggers (DescribeAlarms is granted on exactly these). */
  readonly bakeAlarms: readonly string[];
  /** The approval policy's environment (APPROVERS, APPROVAL_THRESHOLD, ...); empty: upgrades start directly. */
  readonly approval: Readonly<Record<string, string>>;
}
