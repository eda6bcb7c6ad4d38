import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import { type Authorization, type Denial, deniedMessage, type IamEvaluator } from './iam.ts';
import { type AwsRequest, authorizationsFor, signingService } from './requests.ts';

/** A local answer for services without a local engine (Step Functions, Scheduler, Secrets Manager). */
export interface LocalAnswer {
  readonly status: number;
  /** JSON, or the XML text itself when `xml` (Query-protocol services: SNS). */
  readonly body: unknown;
  readonly xml?: boolean;
  readonly headers?: Record<string, string>;
}
export type LocalService = (req: AwsRequest) => Promise<LocalAnswer>;

/** Where the proxy sends allowed requests: an engine's URL, or a local service. */
export interface Upstreams {
  readonly dynamodb: string;
  readonly s3: string;
  readonly local: Record<string, LocalService>;
  /** Extra authorizations AWS makes for S3 on a KMS-encrypted bucket (bucket name to key ARN). */
  readonly bucketKeys: Record<string, { arn: string; policy: unknown }>;
  /** The key of the KMS-encrypted SNS topics: a publisher needs GenerateDataKey and Decrypt on it. */
  readonly topicKey?: { arn: string; policy: unknown };
}

/** The principal whose policies decide: a function's role, as its session appears to AWS. */
export interface Caller {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly policies: { name: string; policy: unknown }[];
}

const readBody = (req: IncomingMessage) =>
  new Promise<Buffer>((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks)));
    req.on('error', fail);
  });

/** The refusal AWS gives, in each protocol's shape. */
function refuse(res: ServerResponse, req: AwsRequest, d: Denial): void {
  const message = deniedMessage(d);
  if (req.service === 's3') {
    res.writeHead(403, { 'content-type': 'application/xml' });
    if (req.method === 'HEAD') return void res.end();
    return void res.end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>${message}</Message></Error>`,
    );
  }
  if (req.service === 'sns') {
    res.writeHead(403, { 'content-type': 'text/xml' });
    return void res.end(
      `<ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>${message}</Message></Error></ErrorResponse>`,
    );
  }
  if (req.service === 'scheduler') {
    res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' });
    return void res.end(JSON.stringify({ Message: message }));
  }
  const type =
    req.service === 'dynamodb' ? 'com.amazon.coral.service#AccessDeniedException' : 'AccessDeniedException';
  res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify({ __type: type, message, Message: message }));
}

function forward(to: string, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const target = new URL(to);
  const out = request(
    { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  out.on('error', (err) => {
    res.writeHead(502).end(String(err));
  });
  out.end(body);
}

/**
 * An HTTP endpoint in front of every AWS service a function calls: each request is parsed, every authorization
 * AWS would make is evaluated against the caller's identity policies, and the request is refused as AWS would
 * (AccessDenied) or passed to the local engine or service.
 */
export async function startAwsProxy(
  caller: Caller,
  iam: IamEvaluator,
  up: Upstreams,
): Promise<{ url: string; server: Server }> {
  const principal = caller.roleArn
    .replace(':iam::', ':sts::')
    .replace(':role/', ':assumed-role/')
    .concat(`/${caller.sessionName}`);
  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const aws: AwsRequest = {
        service: signingService(req.headers.authorization),
        method: req.method ?? 'GET',
        url: new URL(req.url ?? '/', 'http://aws.local'),
        target: String(req.headers['x-amz-target'] ?? ''),
        body,
      };
      const checks: Authorization[] = authorizationsFor(aws);
      if (aws.service === 'sns' && up.topicKey) {
        const key = up.topicKey;
        for (const action of ['kms:GenerateDataKey', 'kms:Decrypt'])
          checks.push({ action, resource: key.arn, resourcePolicy: key.policy });
      }
      if (aws.service === 's3') {
        const bucket = aws.url.pathname.split('/')[1] ?? '';
        const key = up.bucketKeys[bucket];
        const writes = checks.some((c) => c.action === 's3:PutObject');
        const reads = checks.some((c) => c.action === 's3:GetObject');
        const kms = (action: string) => ({ action, resource: key?.arn ?? '', resourcePolicy: key?.policy });
        if (key && writes) checks.push(kms('kms:GenerateDataKey'));
        if (key && reads) checks.push(kms('kms:Decrypt'));
      }
      for (const check of checks) {
        const denied = await iam.check(principal, caller.policies, check);
        // HARNESS_IAM=report logs what AWS would refuse without refusing it (to see what fails besides IAM).
        if (denied && process.env.HARNESS_IAM !== 'report') return refuse(res, aws, denied);
      }
      if (aws.service === 'dynamodb') return forward(up.dynamodb, req, body, res);
      if (aws.service === 's3') return forward(up.s3, req, body, res);
      const local = up.local[aws.service];
      if (!local) {
        res.writeHead(400, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ __type: 'UnknownService', message: `no local ${aws.service}` }));
      }
      const answer = await local(aws);
      if (answer.xml) {
        res.writeHead(answer.status, { 'content-type': 'text/xml', ...(answer.headers ?? {}) });
        return void res.end(String(answer.body));
      }
      res.writeHead(answer.status, {
        'content-type': 'application/x-amz-json-1.0',
        ...(answer.headers ?? {}),
      });
      res.end(JSON.stringify(answer.body));
    })().catch((err: Error) => {
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ __type: 'InternalFailure', message: err.message }));
    });
  });
  // AWS endpoints keep idle connections far longer than Node's 5 s default; closing earlier races the SDK's reuse
  // of a kept-alive socket into "socket hang up", an artefact of this proxy that AWS never shows.
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 125_000;
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}
