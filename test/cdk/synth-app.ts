import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type AppSettings, approvalFrom, buildApp } from '../../cdk/build-app.ts';

/** A CloudFormation resource as the template tests read it. */
export type Resources = Record<
  string,
  {
    Type: string;
    Properties: Record<string, unknown>;
    DeletionPolicy?: string;
    UpdateReplacePolicy?: string;
  }
>;

/** The stacks of one instance, by concern. */
export const CONCERNS = ['data', 'workflow', 'api', 'observability'] as const;

/** The templates, the cloud assembly folder, and the synth error (cdk-nag findings fail the synth). */
export interface SynthesizedApp {
  readonly data: Template;
  /** The service stacks (workflow, api, observability) read as one template: their logical ids do not overlap. */
  readonly service: Template;
  /** Each stack's own template, by concern. */
  readonly stacks: Record<(typeof CONCERNS)[number], Template>;
  /** Each stack's name, by concern. */
  readonly stackNames: Record<(typeof CONCERNS)[number], string>;
  readonly outdir: string;
  readonly synthError: unknown;
}

/** The approval settings as `cdk deploy -c approvers=... -c approvalThreshold=2 -c approvalWaiverCount=3` gives them. */
export const APPROVAL_CONTEXT: Record<string, string | number> = {
  approvers: 'arn:aws:sts::123456789012:assumed-role/Operators/*',
  approvalThreshold: 2,
  approvalWaiverCount: 3,
};

/**
 * Synthesizes the app as the template tests need it. Bundling is skipped (`cdk synth` in .ci/run and the AWS-rules
 * harness bundle for real): these tests read the templates.
 */
export function synthesizeForTemplateTests(settings: Partial<AppSettings> = {}): SynthesizedApp {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:defaultCrossStackReferences': 'strong' },
  });
  const built = buildApp(app, {
    retentionDays: 21,
    fenceShards: 64,
    warmThroughput: { intentsWrites: 25_000, controlReads: 12_500 },
    maintenanceWindows: 'Sat 02:00-06:00',
    chain: {
      rpcEndpoint: 'https://rpc.example.org:443',
      chainId: 'example-1',
      prefix: 'wasm',
      gasPrice: '0.025uatom',
      broadcastPollMs: 2000,
    },
    approval: approvalFrom((key) => APPROVAL_CONTEXT[key]),
    bakeAlarms: ['HighErrorRate', 'SettlementLatencyP99'],
    ...settings,
  });
  let outdir = '';
  let synthError: unknown = null;
  try {
    outdir = app.synth().directory;
  } catch (err) {
    synthError = err;
  }
  const stacks = Object.fromEntries(
    CONCERNS.map((c) => [c, Template.fromStack(built[c])]),
  ) as SynthesizedApp['stacks'];
  const stackNames = Object.fromEntries(
    CONCERNS.map((c) => [c, built[c].stackName]),
  ) as SynthesizedApp['stackNames'];
  const merged: Record<string, unknown> = {};
  for (const c of ['workflow', 'api', 'observability'] as const) {
    for (const [id, r] of Object.entries(stacks[c].toJSON().Resources as object)) {
      if (id in merged) throw new Error(`logical id ${id} is in two service stacks`);
      merged[id] = r;
    }
  }
  return {
    data: stacks.data,
    service: Template.fromJSON({ Resources: merged }, { skipCyclicalDependenciesCheck: true }),
    stacks,
    stackNames,
    outdir,
    synthError,
  };
}
