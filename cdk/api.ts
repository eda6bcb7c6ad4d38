import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type Resource,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { AccountRootPrincipal, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ROUTES } from '../lambdas/routes.ts';
import { HOT_PATH } from './hot-path.ts';
import type { ProjectFunction } from './project-function.ts';

export interface ApiProps {
  readonly functions: Record<string, ProjectFunction>;
  /** The REST API's name (one per instance). */
  readonly name: string;
}

/**
 * One access-log line per request, every route: who called (the signed ARN), what, when, the answer and how long
 * it took. Fewer fields than CDK's standard set (no protocol, user, caller or length; the ARN instead), with short
 * names: it is written for every intent request.
 */
export const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    id: '$context.requestId',
    arn: '$context.identity.userArn',
    ip: '$context.identity.sourceIp',
    at: '$context.requestTimeEpoch',
    method: '$context.httpMethod',
    path: '$context.resourcePath',
    status: '$context.status',
    ms: '$context.responseLatency',
  }),
);

/** The API's one stage: the first part of every path (`/v1/admin/...`). */
export const STAGE_NAME = 'v1';

/** Stage-wide throttle (admin routes). */
export const ADMIN_THROTTLE = { rateLimit: 2000, burstLimit: 1000 } as const;
/** The intent routes: the fence's design rate of 10,000 admissions/s. */
export const INTENT_THROTTLE = { rateLimit: 10_000, burstLimit: 5000 } as const;

/**
 * The REST API of lambdas/routes.ts: every method but the public GET /health needs an IAM-signed request; each is
 * throttled, traced and access-logged. Operators assume the admin role, intent producers the intent
 * role; each role may invoke only its own routes.
 */
export class ControlPlaneApi extends Construct {
  readonly restApi: RestApi;
  readonly adminRole: Role;
  readonly intentRole: Role;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_YEAR });
    this.restApi = new RestApi(this, 'Rest', {
      restApiName: props.name,
      description: 'Drain, inflight intents and upgrades of the intent-settlement system',
      cloudWatchRole: true,
      defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
      deployOptions: {
        stageName: STAGE_NAME,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: ACCESS_LOG_FORMAT,
        loggingLevel: MethodLoggingLevel.INFO,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        throttlingRateLimit: ADMIN_THROTTLE.rateLimit,
        throttlingBurstLimit: ADMIN_THROTTLE.burstLimit,
        // The intent routes at the fence's design rate (docs/fence-design.md); every admitted intent is later
        // updated and completed, so all three carry it. (10,000 rps is also the account's default Region quota.)
        methodOptions: Object.fromEntries(
          ROUTES.filter((r) => r.access === 'intent').map((r) => [
            `${r.resource}/${r.method}`,
            {
              throttlingRateLimit: INTENT_THROTTLE.rateLimit,
              throttlingBurstLimit: INTENT_THROTTLE.burstLimit,
              // A method's settings replace the stage's: errors only in the execution log (cdk/hot-path.ts).
              loggingLevel: HOT_PATH.executionLogLevel,
              metricsEnabled: true,
            },
          ]),
        ),
      },
    });
    // No API Gateway request validator: without models it checks nothing; each handler validates its input
    // (zod) and answers 400 with what to fix.
    const resources = new Map<string, Resource>();
    const resourceFor = (path: string): Resource => {
      let node = this.restApi.root as Resource;
      let sofar = '';
      for (const part of path.split('/').filter(Boolean)) {
        sofar += `/${part}`;
        const known = resources.get(sofar);
        node = known ?? node.addResource(part);
        resources.set(sofar, node);
      }
      return node;
    };
    const stage = this.restApi.deploymentStage;
    const arns: Record<'admin' | 'intent', string[]> = { admin: [], intent: [] };
    for (const route of ROUTES) {
      const fn = props.functions[route.handler];
      if (!fn) throw new Error(`no function for ${route.handler}`);
      // GET /health is open, so load balancers and uptime checks can call it: it answers status, mode and version.
      const method = resourceFor(route.resource).addMethod(
        route.method,
        new LambdaIntegration(fn, {
          // The stage's own permission only: the console's test-invoke permission (one more per method) is left out.
          allowTestInvoke: false,
        }),
        {
          authorizationType: route.access === 'public' ? AuthorizationType.NONE : AuthorizationType.IAM,
        },
      );
      if (route.access === 'public') {
        Validations.of(method).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${route.method} ${route.resource} is public on purpose: uptime checks and load balancers call it unsigned; it answers only status, mode and version.`,
        });
        continue;
      }
      const who = route.access === 'intent' ? 'intent' : 'admin';
      arns[who].push(
        this.restApi.arnForExecuteApi(route.method, route.resource.replace(/\{\w+\}/g, '*'), stage.stageName),
      );
    }
    const account = new AccountRootPrincipal();
    this.adminRole = new Role(this, 'AdminRole', {
      assumedBy: account,
      description: 'Operators: the admin API',
    });
    this.adminRole.addToPolicy(
      new PolicyStatement({ actions: ['execute-api:Invoke'], resources: arns.admin }),
    );
    this.intentRole = new Role(this, 'IntentRole', {
      assumedBy: account,
      description: 'Intent producers: the intent API',
    });
    this.intentRole.addToPolicy(
      new PolicyStatement({ actions: ['execute-api:Invoke'], resources: arns.intent }),
    );
    // cdk-nag names each wildcard finding by the logical ids of the API and its stage.
    const stack = Stack.of(this);
    const restId = stack.resolve(stack.getLogicalId(this.restApi.node.defaultChild as CfnElement)) as string;
    const stageId = stack.resolve(stack.getLogicalId(stage.node.defaultChild as CfnElement)) as string;
    for (const route of ROUTES.filter((r) => r.resource.includes('{'))) {
      const path = route.resource.replace(/\{\w+\}/g, '*');
      Validations.of(route.access === 'intent' ? this.intentRole : this.adminRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:execute-api:<AWS::Region>:<AWS::AccountId>:<${restId}>/<${stageId}>/${route.method}${path}]`,
        reason: `"*" stands for the {id} path parameter of ${route.method} ${route.resource}; the role may invoke only its own routes.`,
      });
    }
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: "API Gateway's account-level CloudWatch role uses AWS's managed policy for pushing logs.",
    });
  }
}
