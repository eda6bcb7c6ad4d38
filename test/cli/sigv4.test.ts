import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { resolveConnection } from '../../cli/connection.ts';
import { ucp } from '../support/ucp.ts';

/** An API that records what it is sent (no AWS here: this stands in for API Gateway's IAM authorizer). */
let server: Server;
let url = '';
const received: { method: string; path: string; headers: IncomingHttpHeaders; body: string }[] = [];
const dir = mkdtempSync(join(tmpdir(), 'ucp-sigv4-'));

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const drain = req.url?.endsWith('/admin/drain/status');
      res.writeHead(drain ? 200 : 404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          drain ? { mode: 'Active', version: '1.0.0' } : { error: 'not_found', message: 'none' },
        ),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/v1`;
  // A profile in shared files, as `aws configure` writes it (with a session token, as SSO and roles give).
  writeFileSync(
    join(dir, 'credentials'),
    '[ops]\naws_access_key_id = AKIDOPSEXAMPLE\naws_secret_access_key = opsSecretKeyExample0123456789\naws_session_token = opsSessionToken\n',
  );
  writeFileSync(join(dir, 'config'), '[profile ops]\nregion = eu-west-1\n');
  vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', join(dir, 'credentials'));
  vi.stubEnv('AWS_CONFIG_FILE', join(dir, 'config'));
  vi.stubEnv('AWS_ACCESS_KEY_ID', '');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', '');
});
afterAll(() => {
  vi.unstubAllEnvs();
  server.closeAllConnections();
  server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Recomputes the request's signature with the SDK's own signer and these credentials: true when it matches. */
async function verifies(
  r: (typeof received)[number],
  creds: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<boolean> {
  const auth = String(r.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(auth)?.[1]?.split(';') ?? [];
  const date = String(r.headers['x-amz-date']);
  const signingDate = new Date(
    `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}T${date.slice(9, 11)}:${date.slice(11, 13)}:${date.slice(13, 15)}Z`,
  );
  const target = new URL(`http://${String(r.headers.host)}${r.path}`);
  const headers = Object.fromEntries(signedHeaders.map((h) => [h, String(r.headers[h])]));
  const signer = new SignatureV4({
    service: 'execute-api',
    region: 'eu-west-1',
    credentials: creds,
    sha256: Sha256,
  });
  const again = await signer.sign(
    {
      method: r.method,
      protocol: 'http:',
      hostname: target.hostname,
      port: Number(target.port),
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      headers,
      ...(r.body ? { body: r.body } : {}),
    },
    { signingDate },
  );
  return again.headers.authorization === auth;
}

describe('ucp on AWS: requests signed with SigV4 (the SDK signer, the default credential chain)', () => {
  it('signs every request with the profile’s credentials; the signature verifies, and not with another secret', async () => {
    const run = await ucp(
      '--url',
      url,
      '--sigv4',
      '--region',
      'eu-west-1',
      '--profile',
      'ops',
      'status',
      '--json',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.json).toMatchObject({ drain: { mode: 'Active' }, upgrade: null });
    expect(received.length).toBe(2);
    for (const r of received) {
      expect(String(r.headers.authorization)).toMatch(
        /^AWS4-HMAC-SHA256 Credential=AKIDOPSEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
      );
      expect(r.headers['x-amz-security-token']).toBe('opsSessionToken');
      const ops = { accessKeyId: 'AKIDOPSEXAMPLE', sessionToken: 'opsSessionToken' };
      expect(await verifies(r, { ...ops, secretAccessKey: 'opsSecretKeyExample0123456789' })).toBe(true);
      expect(await verifies(r, { ...ops, secretAccessKey: 'anotherSecretKey000000000000' })).toBe(false);
    }
  });

  it('an https API Gateway URL with no token means SigV4, in the region the URL names', () => {
    const c = resolveConnection(
      { url: 'https://a1b2c3.execute-api.ap-southeast-2.amazonaws.com/v1/', dataDir: dir },
      {},
    );
    expect(c).toEqual({
      kind: 'sigv4',
      url: 'https://a1b2c3.execute-api.ap-southeast-2.amazonaws.com/v1',
      region: 'ap-southeast-2',
    });
    expect(() => resolveConnection({ url: 'https://ucp.example.com/v1', dataDir: dir }, {})).toThrow(
      /--region/,
    );
    expect(
      resolveConnection({ url: 'https://ucp.example.com/v1', token: 't', dataDir: dir }, {}),
    ).toMatchObject({
      kind: 'token',
    });
  });
});
