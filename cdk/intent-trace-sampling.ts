import { CfnSamplingRule } from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { STAGE_NAME } from './api.ts';
import { HOT_PATH } from './hot-path.ts';
import type { InstanceNames } from './instance.ts';

/**
 * X-Ray traces HOT_PATH.traceRate of the REST API's intent requests (after one a second), not its default 5%: an
 * account-level rule naming the API's stage (`<api name>/<stage>`), so it needs nothing of the API stack but names.
 */
export class IntentTraceSampling extends Construct {
  constructor(scope: Construct, id: string, names: InstanceNames) {
    super(scope, id);
    new CfnSamplingRule(this, 'Rule', {
      samplingRule: {
        ruleName: names.intentTraceRule,
        priority: 100,
        fixedRate: HOT_PATH.traceRate,
        reservoirSize: 1,
        serviceName: `${names.restApi}/${STAGE_NAME}`,
        serviceType: 'AWS::ApiGateway::Stage',
        host: '*',
        httpMethod: '*',
        urlPath: '/intents*',
        resourceArn: '*',
        version: 1,
      },
    });
  }
}
