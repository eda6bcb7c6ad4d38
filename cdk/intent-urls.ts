import { CfnOutput } from 'aws-cdk-lib';
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type FunctionUrl, FunctionUrlAuthType } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ROUTES } from '../lambdas/routes.ts';
import type { ProjectFunction } from './project-function.ts';

export interface IntentUrlsProps {
  /** The route functions, by handler (ApiStack.functions). */
  readonly functions: Record<string, ProjectFunction>;
  /** The intent producers' role (ControlPlaneApi.intentRole): the one principal granted the URLs. */
  readonly role: IRole;
}

/** The output of a route's URL: `intent-register` -> IntentRegisterUrl. */
export const intentUrlOutput = (handler: string) =>
  `${handler.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}Url`;

/**
 * The intent routes' cheaper way in: a Lambda function URL (AWS_IAM, payload 2.0) on each intent function, beside
 * its REST API route (which stays). A URL serves its route's own path and method (lambdas/http/payload-v2.ts).
 *
 * No API Gateway throttle stands in front of a function URL: what limits it is Lambda's concurrency, the account's
 * Regional concurrent executions (1,000 by default), shared with every other function, and a function's reserved
 * concurrency when set. Requests beyond it are refused 429 by Lambda; the fence itself is not overloaded by them.
 *
 * The intent role may invoke exactly these three URLs: lambda:InvokeFunctionUrl where the URL's auth type is
 * AWS_IAM, and lambda:InvokeFunction only through a function URL (AWS's authorization model for function URLs
 * created since October 2025 requires both).
 */
export class IntentUrls extends Construct {
  readonly urls: Record<string, FunctionUrl> = {};

  constructor(scope: Construct, id: string, props: IntentUrlsProps) {
    super(scope, id);
    const arns: string[] = [];
    for (const route of ROUTES.filter((r) => r.access === 'intent')) {
      const fn = props.functions[route.handler];
      if (!fn) throw new Error(`no function for ${route.handler}`);
      const url = fn.addFunctionUrl({ authType: FunctionUrlAuthType.AWS_IAM });
      this.urls[route.handler] = url;
      arns.push(fn.functionArn);
      const output = new CfnOutput(this, intentUrlOutput(route.handler), {
        value: url.url,
        description: `${route.method} ${route.resource} through its function URL (SigV4 with the intent role, service lambda); the URL's path is the route's`,
      });
      output.overrideLogicalId(intentUrlOutput(route.handler));
    }
    props.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunctionUrl'],
        resources: arns,
        conditions: { StringEquals: { 'lambda:FunctionUrlAuthType': FunctionUrlAuthType.AWS_IAM } },
      }),
    );
    props.role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['lambda:InvokeFunction'],
        resources: arns,
        conditions: { Bool: { 'lambda:InvokedViaFunctionUrl': 'true' } },
      }),
    );
  }
}
