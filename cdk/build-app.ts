import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { approvalPolicyFrom } from '../shared/approval/approval-policy.ts';
import { ApiStack } from './api-stack.ts';
import { DEFAULT_INSTANCE, instanceNames } from './instance.ts';
import { acknowledgeFindings } from './nag-acknowledgements.ts';
import { ObservabilityStack } from './observability-stack.ts';
import type { ServiceSettings } from './service-settings.ts';
import { StatefulStack } from './stateful-stack.ts';
import { WorkflowStack } from './workflow-stack.ts';

/** The app's settings: the service stacks' settings, named by an instance instead of its derived names. */
export type AppSettings = Omit<ServiceSettings, 'names'> & {
  /** The deployment's name (`-c instance=staging`, default `main`): every stack and physical name derives from it. */
  readonly instance?: string;
};

/** CDK context key -> the environment variable the functions read it from. */
const APPROVAL_CONTEXT: Record<string, string> = {
  approvers: 'APPROVERS',
  approvalThreshold: 'APPROVAL_THRESHOLD',
  approvalTimelockSecs: 'APPROVAL_TIMELOCK_SECS',
  proposalExpirySecs: 'PROPOSAL_EXPIRY_SECS',
  approvalSelfApproval: 'APPROVAL_SELF_APPROVAL',
  approvalWaiverCount: 'APPROVAL_WAIVER_COUNT',
};

/** The approval settings given with -c, checked at synth (a bad policy fails here, not at 3 a.m.). */
export function approvalFrom(ctx: (key: string) => string | number | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(APPROVAL_CONTEXT)) {
    const v = ctx(key);
    if (v !== undefined && v !== '') env[name] = String(v);
  }
  approvalPolicyFrom(env);
  return env;
}

/** Reads the app's settings from CDK context (`-c retentionDays=30`), with defaults. */
export function settingsFrom(app: App): AppSettings {
  const ctx = (key: string) => app.node.tryGetContext(key) as string | number | undefined;
  return {
    instance: String(ctx('instance') ?? DEFAULT_INSTANCE),
    retentionDays: Number(ctx('retentionDays') ?? 30),
    fenceShards: Number(ctx('fenceShards') ?? 64),
    // 10,000 admissions/s (docs/fence-design.md): 2 writes an intent, 1 gate read, with 25% headroom. PATCHes add a
    // write each: at 3 a intent, 62,500 write units, above the table's default quota of 40,000 (README: Scale).
    warmThroughput: {
      intentsWrites: Number(ctx('intentsWarmWrites') ?? 25_000),
      controlReads: Number(ctx('controlWarmReads') ?? 12_500),
    },
    maintenanceWindows: String(ctx('maintenanceWindows') ?? ''),
    outboundAllow: String(ctx('outboundAllow') ?? ''),
    chain: {
      rpcEndpoint: String(ctx('chainRpcEndpoint') ?? ''),
      chainId: String(ctx('chainId') ?? ''),
      prefix: String(ctx('chainPrefix') ?? ''),
      gasPrice: String(ctx('chainGasPrice') ?? ''),
      broadcastPollMs: Number(ctx('chainBroadcastPollMs') ?? 3000),
    },
    approval: approvalFrom(ctx),
    bakeAlarms: String(ctx('bakeAlarms') ?? 'ucp-bake-*')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/**
 * The stacks of one instance, by concern: data (retained), workflow, api and observability, each well under
 * CloudFormation's 500 resources; cdk-nag's AwsSolutions and Serverless packs run as policy validation plugins.
 */
export function buildApp(app: App, settings: AppSettings = settingsFrom(app)) {
  const names = instanceNames(settings.instance ?? DEFAULT_INSTANCE);
  // Server access logs delivered under a bucket policy, not the legacy LogDeliveryWrite ACL (cfn-lint W3045).
  app.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
  const service = { ...settings, names };
  const data = new StatefulStack(app, names.stack('data'), {
    retentionDays: settings.retentionDays,
    warmThroughput: settings.warmThroughput,
  });
  const workflow = new WorkflowStack(app, names.stack('workflow'), { data, settings: service });
  const api = new ApiStack(app, names.stack('api'), { data, workflow, settings: service });
  const observability = new ObservabilityStack(app, names.stack('observability'), { data, workflow, names });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  acknowledgeFindings({ data, workflow, api, observability }, names);
  return { names, data, workflow, api, observability };
}
