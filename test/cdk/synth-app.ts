import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { approvalFrom, buildApp } from '../../cdk/build-app.ts';

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

/** Both stacks' templates, the cloud assembly folder, and the synth error (cdk-nag findings fail the synth). */
export interface SynthesizedApp {
  readonly data: Template;
  readonly service: Template;
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
export function synthesizeForTemplateTests(): SynthesizedApp {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:defaultCrossStackReferences': 'strong' },
  });
  const stacks = buildApp(app, {
    retentionDays: 21,
    fenceShards: 64,
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
  });
  let outdir = '';
  let synthError: unknown = null;
  try {
    outdir = app.synth().directory;
  } catch (err) {
    synthError = err;
  }
  return {
    data: Template.fromStack(stacks.data),
    service: Template.fromStack(stacks.service),
    outdir,
    synthError,
  };
}
