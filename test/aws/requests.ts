import type { Authorization } from './iam.ts';
import { ACCOUNT, REGION } from './template.ts';

/** An AWS API request as the proxy received it. */
export interface AwsRequest {
  readonly service: string;
  readonly method: string;
  readonly url: URL;
  readonly target: string;
  readonly body: Buffer;
}

/** The signing service of a SigV4 request (`Credential=AKID/date/region/<service>/aws4_request`). */
export const signingService = (authorization: string | undefined): string =>
  /Credential=[^/]+\/\d+\/[^/]+\/([^/]+)\//.exec(authorization ?? '')?.[1] ?? 'unknown';

const table = (name: string) => `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
const json = (b: Buffer) => (b.length ? (JSON.parse(b.toString('utf8')) as Record<string, unknown>) : {});

/** DynamoDB: the operation's action on each table (transactions and batches: one per item, as AWS does). */
function dynamodb(req: AwsRequest): Authorization[] {
  const op = req.target.split('.')[1] ?? '';
  const body = json(req.body);
  const act = (action: string, name: unknown, index?: unknown): Authorization => ({
    action: `dynamodb:${action}`,
    resource: index ? `${table(String(name))}/index/${String(index)}` : table(String(name)),
  });
  if (op === 'TransactWriteItems') {
    const kinds: Record<string, string> = {
      Put: 'PutItem',
      Update: 'UpdateItem',
      Delete: 'DeleteItem',
      ConditionCheck: 'ConditionCheckItem',
    };
    return (body.TransactItems as Record<string, { TableName: string }>[]).flatMap((item) =>
      Object.entries(item).map(([k, v]) => act(kinds[k] ?? k, v.TableName)),
    );
  }
  if (op === 'TransactGetItems')
    return (body.TransactItems as { Get: { TableName: string } }[]).map((i) =>
      act('GetItem', i.Get.TableName),
    );
  if (op === 'BatchWriteItem' || op === 'BatchGetItem')
    return Object.keys(body.RequestItems as object).map((t) => act(op, t));
  if (op === 'ListTables') return [{ action: 'dynamodb:ListTables', resource: '*' }];
  // dynamodb:LeadingKeys: the partition key of the one item a single-item call names (pk, or shard for intents).
  const key = (body.Key ?? body.Item) as Record<string, { S?: string; N?: string }> | undefined;
  const leading = key?.pk?.S ?? key?.shard?.N;
  return [
    {
      ...act(op, body.TableName, body.IndexName),
      ...(leading !== undefined ? { context: { 'dynamodb:LeadingKeys': [leading] } } : {}),
    },
  ];
}

/** S3 (path-style): method, key and sub-resource to the action AWS checks. */
function s3(req: AwsRequest): Authorization[] {
  const [, bucket = '', ...rest] = decodeURIComponent(req.url.pathname).split('/');
  const key = rest.join('/');
  const q = req.url.searchParams;
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const obj = (action: string) => ({ action: `s3:${action}`, resource: `${bucketArn}/${key}` });
  if (!key) {
    if (q.has('uploads')) return [{ action: 's3:ListBucketMultipartUploads', resource: bucketArn }];
    if (q.has('versions')) return [{ action: 's3:ListBucketVersions', resource: bucketArn }];
    if (req.method === 'POST' && q.has('delete')) {
      const keys = [...req.body.toString('utf8').matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]);
      return keys.map((k) => ({ action: 's3:DeleteObject', resource: `${bucketArn}/${k}` }));
    }
    return [{ action: 's3:ListBucket', resource: bucketArn }];
  }
  if (q.has('uploadId')) {
    if (req.method === 'DELETE') return [obj('AbortMultipartUpload')];
    if (req.method === 'GET') return [obj('ListMultipartUploadParts')];
    return [obj('PutObject')];
  }
  if (req.method === 'GET' || req.method === 'HEAD') return [obj('GetObject')];
  if (req.method === 'DELETE') return [obj('DeleteObject')];
  return [obj('PutObject')];
}

/** Step Functions: task-token calls have no resource-level permissions (`*`); the others name their ARN. */
function states(req: AwsRequest): Authorization[] {
  const op = req.target.split('.')[1] ?? '';
  const body = json(req.body);
  const action = `states:${op}`;
  if (op.startsWith('SendTask')) return [{ action, resource: '*' }];
  if (op === 'StartExecution') return [{ action, resource: String(body.stateMachineArn) }];
  if (op === 'ListExecutions') return [{ action, resource: String(body.stateMachineArn) }];
  return [{ action, resource: String(body.executionArn ?? '*') }];
}

/** EventBridge Scheduler (REST): the schedule's ARN in its group; CreateSchedule also passes the target's role. */
function scheduler(req: AwsRequest): Authorization[] {
  const parts = req.url.pathname.split('/').filter(Boolean);
  const name = parts[1] ? decodeURIComponent(parts[1]) : undefined;
  const body = json(req.body);
  const group = String(body.GroupName ?? req.url.searchParams.get('groupName') ?? 'default');
  const arn = `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${group}/${name}`;
  if (!name) return [{ action: 'scheduler:ListSchedules', resource: '*' }];
  const verb = { POST: 'Create', PUT: 'Update', GET: 'Get', DELETE: 'Delete' }[req.method] ?? req.method;
  const out: Authorization[] = [{ action: `scheduler:${verb}Schedule`, resource: arn }];
  const role = (body.Target as { RoleArn?: string } | undefined)?.RoleArn;
  if (role)
    out.push({
      action: 'iam:PassRole',
      resource: role,
      context: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
    });
  return out;
}

/** Secrets Manager: the secret named in the request. */
function secretsmanager(req: AwsRequest): Authorization[] {
  const op = req.target.split('.')[1] ?? '';
  return [{ action: `secretsmanager:${op}`, resource: String(json(req.body).SecretId ?? '*') }];
}

/** SNS (AWS Query protocol): the action on the topic named in the form. */
function sns(req: AwsRequest): Authorization[] {
  const f = new URLSearchParams(req.body.toString('utf8'));
  return [{ action: `sns:${f.get('Action') ?? 'Unknown'}`, resource: f.get('TopicArn') ?? '*' }];
}

/** CloudWatch (JSON 1.0): DescribeAlarms is authorized on each named alarm's ARN. */
function monitoring(req: AwsRequest): Authorization[] {
  const op = req.target.split('.')[1] ?? '';
  const names = (json(req.body).AlarmNames as string[] | undefined) ?? [];
  const alarm = (n: string) => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${n}`;
  return names.length
    ? names.map((n) => ({ action: `cloudwatch:${op}`, resource: alarm(n) }))
    : [{ action: `cloudwatch:${op}`, resource: '*' }];
}

/** Every authorization AWS would make for `req`. */
export function authorizationsFor(req: AwsRequest): Authorization[] {
  switch (req.service) {
    case 'dynamodb':
      return dynamodb(req);
    case 's3':
      return s3(req);
    case 'states':
      return states(req);
    case 'scheduler':
      return scheduler(req);
    case 'secretsmanager':
      return secretsmanager(req);
    case 'sns':
      return sns(req);
    case 'monitoring':
      return monitoring(req);
    default:
      return [{ action: `${req.service}:Unknown`, resource: '*' }];
  }
}
