import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../shared/config.ts';
import { httpCheck } from '../shared/health/health.ts';
import { safeExcerpt } from '../shared/net/excerpt.ts';
import { guardedRequest } from '../shared/net/guarded-request.ts';
import { type OutboundPolicy, refusedUrl } from '../shared/net/outbound-url.ts';
import { startTestApi, type TestApi } from './support/api.ts';
import { runUpgrade } from './support/upgrade.ts';

const LOCAL: OutboundPolicy = { strict: false, allow: [] };
const AWS: OutboundPolicy = { strict: true, allow: [] };

/** Refused everywhere: link-local, metadata (every spelling), credentials, other schemes. */
const ALWAYS_REFUSED = [
  'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
  'http://169.254.170.2/v2/credentials',
  'http://[fd00:ec2::254]/latest/meta-data/',
  'http://[fe80::1]/',
  'http://[fe80::a9fe:a9fe%25eth0]/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://METADATA.GOOGLE.INTERNAL./',
  'http://metadata/',
  'http://instance-data/latest/',
  'http://100.100.100.200/',
  'http://2852039166/',
  'http://0xa9fea9fe/',
  'http://0xa9.0xfe.0xa9.0xfe/',
  'http://0251.0376.0251.0376/',
  'http://169.254.43518/',
  'http://[::ffff:169.254.169.254]/',
  'http://[::ffff:a9fe:a9fe]/',
  'http://[0:0:0:0:0:ffff:169.254.169.254]/',
  'http://[::169.254.169.254]/',
  'http://[64:ff9b::169.254.169.254]/',
  'http://user:pass@example.com/hook',
  'http://token@example.com/hook',
  'ftp://example.com/',
  'file:///etc/passwd',
  'gopher://example.com/',
  'not a url',
];

/** Loopback and private: fine locally, refused on AWS unless allow-listed. */
const INTERNAL = [
  'http://127.0.0.1:8080/health',
  'http://127.1/',
  'http://2130706433/',
  'http://0x7f000001/',
  'http://0177.0.0.1/',
  'http://localhost:9000/',
  'http://api.localhost/',
  'http://[::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://0.0.0.0/',
  'http://10.1.2.3/',
  'http://172.16.0.1/',
  'http://172.31.255.254/',
  'http://192.168.1.1/',
  'http://100.64.0.1/',
  'http://[fc00::1]/',
  'http://[fd12:3456::1]/',
  'http://[::ffff:10.0.0.1]/',
];

describe('outbound URLs, checked at input', () => {
  it('refuses link-local, metadata, credentials and non-http in every spelling, locally and on AWS', () => {
    for (const url of ALWAYS_REFUSED) {
      expect(refusedUrl(url, LOCAL), url).not.toBeNull();
      expect(refusedUrl(url, AWS), url).not.toBeNull();
      expect(
        refusedUrl(url, { strict: true, allow: ['169.254.0.0/16', 'metadata', 'fd00::/8'] }),
        url,
      ).not.toBeNull();
    }
    expect(refusedUrl('http://2852039166/', LOCAL)).toContain('169.254.169.254');
    expect(refusedUrl('http://user:pass@example.com/', LOCAL)).toContain('user:password@');
  });

  it('lets loopback and private ranges through locally, refuses them on AWS unless allow-listed', () => {
    for (const url of INTERNAL) {
      expect(refusedUrl(url, LOCAL), url).toBeNull();
      expect(refusedUrl(url, AWS), url).toMatch(/not allowed on AWS unless listed in OUTBOUND_ALLOW/);
    }
    const allow: OutboundPolicy = {
      strict: true,
      allow: ['10.1.0.0/16', '127.0.0.1', 'fc00::/7', 'api.localhost'],
    };
    expect(refusedUrl('http://10.1.2.3/', allow)).toBeNull();
    expect(refusedUrl('http://10.2.0.1/', allow)).not.toBeNull();
    expect(refusedUrl('http://127.0.0.1:8080/', allow)).toBeNull();
    expect(refusedUrl('http://[fd12:3456::1]/', allow)).toBeNull();
    expect(refusedUrl('http://api.localhost/', allow)).toBeNull();
    expect(refusedUrl('http://192.168.1.1/', allow)).not.toBeNull();
    for (const url of ['https://example.com/deploy', 'http://8.8.8.8/', 'http://[2001:db8::1]/']) {
      expect(refusedUrl(url, AWS), url).toBeNull();
    }
  });
});

const servers: { close: () => void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  servers.push({ close: () => server.close() });
  return { port: (server.address() as { port: number }).port, hits };
}

describe('checkpoint sources', () => {
  it('a CHECKPOINT_SOURCES url to a metadata or (on AWS) internal address stops the configuration, naming it', () => {
    const env = { ADMIN_TOKEN: 'a', INTENT_TOKEN: 'i' };
    const sources = (url: string) => JSON.stringify([{ name: 'order_book', type: 'http', url }]);
    expect(() => loadConfig({ ...env, CHECKPOINT_SOURCES: sources('http://0251.0376.0251.0376/') })).toThrow(
      /CHECKPOINT_SOURCES: the url of order_book 169\.254\.169\.254 is a link-local/,
    );
    expect(() =>
      loadConfig({ ...env, CHECKPOINT_SOURCES: sources('http://127.0.0.1:7000/book') }),
    ).not.toThrow();
    const aws = {
      ...env,
      AWS_LAMBDA_FUNCTION_NAME: 'fn',
      CHECKPOINT_SOURCES: sources('http://10.0.0.7/book'),
    };
    expect(() => loadConfig(aws)).toThrow(ConfigError);
    expect(() => loadConfig({ ...aws, OUTBOUND_ALLOW: '10.0.0.0/24' })).not.toThrow();
  });
});

describe('outbound URLs, checked at connect time', () => {
  it('checks every address a name resolves to, and connects to the checked one (no rebinding)', async () => {
    const { port, hits } = await serve((_, res) => res.end('ok'));
    const toLoopback = (_: string, cb: (e: null, a: { address: string; family: number }[]) => void) =>
      cb(null, [{ address: '127.0.0.1', family: 4 }]);
    const mixed = (_: string, cb: (e: null, a: { address: string; family: number }[]) => void) =>
      cb(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '169.254.169.254', family: 4 },
      ]);
    const url = `http://rebind.invalid:${port}/x`;
    await expect(guardedRequest(url, { timeoutMs: 2000, policy: AWS, resolve: toLoopback })).rejects.toThrow(
      /resolves to a refused address: .*127\.0\.0\.1/,
    );
    await expect(guardedRequest(url, { timeoutMs: 2000, policy: LOCAL, resolve: mixed })).rejects.toThrow(
      /169\.254\.169\.254.*never allowed/,
    );
    expect(hits).toEqual([]);
    // The name does not exist in DNS: the answer can only come from connecting to the vetted address.
    const ok = await guardedRequest(url, { timeoutMs: 2000, policy: LOCAL, resolve: toLoopback });
    expect(ok).toEqual({ status: 200, text: 'ok' });
    expect(hits).toEqual(['GET /x']);
  });

  it('caps what it reads of an answer, and an answer cut off by the timeout is an error, not a short body', async () => {
    const { port } = await serve((req, res) => {
      if (req.url === '/big') return res.end('b'.repeat(1_000_000));
      res.write('{"status":"Heal');
    });
    const big = await guardedRequest(`http://127.0.0.1:${port}/big`, { timeoutMs: 2000, maxBytes: 1000 });
    expect(big.text).toBe('b'.repeat(1000));
    await expect(guardedRequest(`http://127.0.0.1:${port}/hang`, { timeoutMs: 300 })).rejects.toThrow(
      /cut off before its end/,
    );
  });

  it('does not follow a redirect, and says so', async () => {
    const { port, hits } = await serve((req, res) => {
      if (req.url === '/start') {
        res.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere?token=abc` });
        return res.end();
      }
      res.end('followed');
    });
    await expect(guardedRequest(`http://127.0.0.1:${port}/start`, { timeoutMs: 2000 })).rejects.toThrow(
      /answered 302, a redirect to http:\/\/127\.0\.0\.1:\d+\/elsewhere: redirects are not followed/,
    );
    const [health] = await Promise.all([
      httpCheck('relayer', `http://127.0.0.1:${port}/start`)
        .check(AbortSignal.timeout(2000))
        .catch((e: Error) => e),
    ]);
    expect(String((health as Error).message)).toContain('redirects are not followed');
    expect(hits).toEqual(['GET /start', 'GET /start']);
  });

  it('keeps a short, sanitised excerpt of what a target answered', () => {
    const body =
      'boom\u0000\u001b[31m aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY ' +
      'AKIAIOSFODNN7EXAMPLE password: hunter2 {"token":"t0k3n"} Authorization: Bearer abc.def ' +
      `${'a1b2'.repeat(20)} ${'x'.repeat(500)}`;
    const out = safeExcerpt(body);
    expect(out.length).toBeLessThanOrEqual(200);
    for (const secret of [
      'wJalrXUtnFEMI',
      'AKIAIOSFODNN7EXAMPLE',
      'hunter2',
      't0k3n',
      'abc.def',
      'a1b2a1b2a1b2',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect([...out].some((c) => c.charCodeAt(0) < 32)).toBe(false);
    expect(out).toContain('[redacted]');
  });
});

describe('outbound URLs through the API', () => {
  let api: TestApi | undefined;
  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });

  it('an upgrade naming a refused deploy, health or version URL is a 400 that says why, and changes nothing', async () => {
    api = await startTestApi();
    const t = api;
    const before = (await t.admin('GET', '/admin/drain/status')).body;
    const good = 'http://127.0.0.1:9/x';
    for (const bad of ALWAYS_REFUSED) {
      for (const field of ['deploy_url', 'health_url', 'version_url']) {
        const target = { name: 'r1', deploy_url: good, health_url: good, version_url: good, [field]: bad };
        const res = await t.admin('POST', '/admin/upgrade/start', {
          target_version: '2.0.0',
          reason: 'outbound',
          deploy: { mode: 'hooks', targets: [target] },
        });
        expect(res.status, `${field} ${bad}`).toBe(400);
        expect(res.body.message, bad).toContain(`deploy.targets.0.${field}`);
      }
      const check = await t.admin('POST', '/admin/upgrade/start', {
        target_version: '2.0.0',
        reason: 'outbound',
        post_checks: [{ name: 'relayer', type: 'http', url: bad }],
      });
      expect(check.status, bad).toBe(400);
    }
    const meta = await t.admin('POST', '/admin/upgrade/start', {
      target_version: '2.0.0',
      reason: 'outbound',
      pre_checks: [{ name: 'relayer', type: 'http', url: 'http://0xa9.0xfe.0xa9.0xfe/latest/' }],
    });
    expect(meta.body.message).toMatch(
      /pre_checks\.0\.url: 169\.254\.169\.254 is a link-local or cloud metadata address/,
    );
    const scheduled = await t.admin('POST', '/admin/upgrade/schedules', {
      name: 'meta',
      schedule: `at(${new Date(Date.now() + 3_600_000).toISOString().slice(0, 19)})`,
      upgrade: {
        target_version: '2.0.0',
        reason: 'x',
        post_checks: [{ name: 'm', type: 'http', url: 'http://metadata/' }],
      },
    });
    expect(scheduled.status).toBe(400);
    expect((await t.admin('GET', '/admin/upgrades')).body.upgrades).toEqual([]);
    expect((await t.admin('GET', '/admin/upgrade/schedules')).body.schedules).toEqual([]);
    expect((await t.admin('GET', '/admin/drain/status')).body).toEqual(before);
  });

  it("a target's answer carrying a secret never reaches the upgrade's record", async () => {
    api = await startTestApi();
    const secret = 'aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY AKIAIOSFODNN7EXAMPLE';
    const { port } = await serve((req, res) => {
      if (req.url === '/version') return res.end(JSON.stringify({ version: '1.0.0' }));
      if (req.url === '/health') return res.end(JSON.stringify({ status: 'Healthy' }));
      res.writeHead(500);
      res.end(`internal error; env dump: ${secret}\n${'z'.repeat(5000)}`);
    });
    const base = `http://127.0.0.1:${port}`;
    const run = await runUpgrade(api, {
      target_version: '2.0.0',
      reason: 'leaky hook',
      deploy: {
        mode: 'hooks',
        targets: [
          {
            name: 'r1',
            deploy_url: `${base}/deploy`,
            health_url: `${base}/health`,
            version_url: `${base}/version`,
          },
        ],
        replica_timeout_secs: 5,
        request_timeout_secs: 2,
        retries: 0,
      },
    });
    expect(run.execution.status).toBe('FAILED');
    const detail = await api.admin('GET', `/admin/upgrades/${run.started.body.upgrade_id as string}`);
    const list = await api.admin('GET', '/admin/upgrades');
    for (const text of [detail.text, list.text]) {
      expect(text).toContain('answered 500');
      expect(text).not.toContain('wJalrXUtnFEMI');
      expect(text).not.toContain('AKIAIOSFODNN7EXAMPLE');
      expect(text).not.toContain('zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz');
    }
    expect(detail.text).toContain('[redacted]');
  });
});
