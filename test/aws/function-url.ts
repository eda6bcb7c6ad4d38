import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ApiReply, type AwsHarness, cloudAssembly, httpReply } from './harness.ts';
import { ACCOUNT, stacksOf } from './template.ts';

/** What a function URL answers when IAM refuses the caller (Lambda's own body, before the function runs). */
export const URL_FORBIDDEN = {
  Message:
    'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
};

/** The function URLs the templates declare: auth type, by the logical id of their function. */
function urlsOf(outdir: string): Map<string, string> {
  const urls = new Map<string, string>();
  for (const stack of stacksOf(outdir).service) {
    const t = JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')) as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    for (const r of Object.values(t.Resources)) {
      if (r.Type !== 'AWS::Lambda::Url') continue;
      const arn = r.Properties?.TargetFunctionArn as { 'Fn::GetAtt'?: [string, string] } | undefined;
      const target = arn?.['Fn::GetAtt'];
      if (target) urls.set(target[0], String(r.Properties?.AuthType));
    }
  }
  return urls;
}

let declared: Map<string, string> | undefined;

/**
 * Calls a route's function through its function URL as AWS would: the URL must exist (AWS_IAM); Lambda checks the
 * caller's identity policies for lambda:InvokeFunctionUrl (auth type AWS_IAM) and lambda:InvokeFunction (invoked
 * via a function URL), both needed since October 2025, and answers 403 without running the function when either is
 * missing; then the bundle runs with a payload 2.0 event carrying the caller's ARN (502 on a function error).
 */
export async function viaFunctionUrl(
  aws: AwsHarness,
  /** The API stack's role the caller assumed, by construct name, with a session name. */
  who: { role: 'IntentRole' | 'AdminRole'; session?: string },
  handler: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiReply> {
  declared ??= urlsOf(cloudAssembly());
  const fn = aws.fn(handler);
  const authType = declared.get(fn.logicalId);
  if (authType !== 'AWS_IAM') throw new Error(`${fn.logicalId} has no AWS_IAM function URL (${authType})`);
  const role = aws.role(`Api${who.role}`);
  const roleName = role.roleArn.split('/').at(-1);
  const session = who.session ?? 'harness';
  const principal = `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}`;
  const checks = await Promise.all([
    aws.iam.check(principal, role.policies, {
      action: 'lambda:InvokeFunctionUrl',
      resource: fn.arn,
      context: { 'lambda:FunctionUrlAuthType': 'AWS_IAM' },
    }),
    aws.iam.check(principal, role.policies, {
      action: 'lambda:InvokeFunction',
      resource: fn.arn,
      context: { 'lambda:InvokedViaFunctionUrl': 'true' },
    }),
  ]);
  if (checks.some((denied) => denied)) return { status: 403, body: URL_FORBIDDEN, headers: {} };
  const url = new URL(path, 'https://urlid.lambda-url.us-east-1.on.aws');
  const query: Record<string, string> = {};
  for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
  const event = {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers: { 'content-type': 'application/json', host: url.host, 'x-forwarded-proto': 'https' },
    ...(url.search ? { queryStringParameters: query } : {}),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'urlid',
      authorizer: {
        iam: {
          accessKey: 'ASIAHARNESS',
          accountId: ACCOUNT,
          callerId: `AROAHARNESS:${session}`,
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: principal,
          userId: `AROAHARNESS:${session}`,
        },
      },
      domainName: url.host,
      domainPrefix: 'urlid',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '203.0.113.7',
        userAgent: 'harness',
      },
      requestId: crypto.randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  };
  const out = await aws.invoke(fn, event);
  if (!out.ok) return { status: 502, body: { Message: 'Internal Server Error' }, headers: {} };
  return httpReply(out.result);
}
