import { BlockList, isIP } from 'node:net';

/**
 * Which outbound addresses the control plane may call (deploy hooks, health checks, checkpoint sources).
 * `strict` (on AWS) also refuses loopback and private ranges, except those in `allow` (CIDRs, addresses or host
 * names). Link-local and cloud metadata addresses are refused always, allow-list or not.
 */
export interface OutboundPolicy {
  readonly strict: boolean;
  readonly allow: readonly string[];
}

/** The policy of this process: strict on Lambda (or OUTBOUND_POLICY=aws), with OUTBOUND_ALLOW as the allow-list. */
export function outboundPolicy(env: NodeJS.ProcessEnv = process.env): OutboundPolicy {
  return {
    strict: !!env.AWS_LAMBDA_FUNCTION_NAME || env.OUTBOUND_POLICY === 'aws',
    allow: (env.OUTBOUND_ALLOW ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  };
}

const list = (entries: [string, number][]) => {
  const b = new BlockList();
  for (const [net, prefix] of entries) b.addSubnet(net, prefix, isIP(net) === 6 ? 'ipv6' : 'ipv4');
  return b;
};

/** Link-local and instance metadata (AWS, GCP, Azure, Alibaba): never reachable from here. */
const NEVER = list([
  ['169.254.0.0', 16],
  ['fe80::', 10],
  ['fd00:ec2::254', 128],
  ['100.100.100.200', 32],
]);
const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'metadata.azure.com',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Loopback, unspecified, private, shared (CGNAT), unique-local, multicast and reserved: refused when strict. */
const INTERNAL = list([
  ['0.0.0.0', 8],
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['ff00::', 8],
]);

/** The eight 16-bit groups of an IPv6 address (with an embedded dotted IPv4 tail, if any). */
function groups(ip: string): number[] {
  let text = ip;
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => Number.parseInt(g, 16));
}

/** An IPv6 address that carries an IPv4 one (mapped ::ffff:a.b.c.d, compatible ::a.b.c.d, NAT64 64:ff9b::): that IPv4. */
function embeddedV4(ip: string): string | null {
  const g = groups(ip);
  const [hi = 0, lo = 0] = g.slice(6);
  const v4 = () => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeros(5) && g[5] === 0xffff) return v4();
  if (zeros(6) && (hi !== 0 || lo > 1)) return v4();
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return v4();
  return null;
}

const allowedBy = (policy: OutboundPolicy, ip: string, family: 'ipv4' | 'ipv6', host: string) =>
  policy.allow.some((entry) => {
    if (entry === host) return true;
    const [net = '', prefix] = entry.split('/');
    const kind = isIP(net);
    if (!kind || (kind === 4) !== (family === 'ipv4')) return false;
    const bits = prefix === undefined ? (kind === 4 ? 32 : 128) : Number(prefix);
    return list([[net, bits]]).check(ip, family);
  });

/**
 * Why the control plane must not connect to `address` (reached through `host`), or null when it may. IPv4 hidden
 * in IPv6 is judged as the IPv4 it carries.
 */
export function refusedAddress(address: string, policy: OutboundPolicy, host = address): string | null {
  const bare = address.replace(/^\[|\]$/g, '').toLowerCase();
  if (!isIP(bare)) return `${address} is not an IP address`;
  const inner = isIP(bare) === 6 ? embeddedV4(bare) : null;
  const ip = inner ?? bare;
  const family = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
  if (NEVER.check(ip, family))
    return `${host} is a link-local or cloud metadata address (${ip}): never allowed`;
  if (policy.strict && INTERNAL.check(ip, family) && !allowedBy(policy, ip, family, host)) {
    return `${host} is a loopback, private or reserved address (${ip}): not allowed on AWS unless listed in OUTBOUND_ALLOW`;
  }
  return null;
}

/**
 * Why `raw` may not be called (scheme, credentials, a refused literal address or name), or null. Names are also
 * checked again at connect time, address by address (see guarded-request.ts). Numeric IPv4 forms (decimal, hex,
 * octal) are normalised by the URL parser before this check sees them.
 */
export function refusedUrl(raw: string, policy: OutboundPolicy = outboundPolicy()): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a valid URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `must be http or https, not ${url.protocol}`;
  if (url.username || url.password) return 'must not carry user:password@ credentials';
  const host = url.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (isIP(host)) return refusedAddress(host, policy);
  if (METADATA_NAMES.has(host)) return `${host} is a cloud metadata host: never allowed`;
  if (policy.strict && (host === 'localhost' || host.endsWith('.localhost')) && !policy.allow.includes(host))
    return `${host} is loopback: not allowed on AWS unless listed in OUTBOUND_ALLOW`;
  return null;
}

/** The URL without credentials, query or fragment: what may appear in messages and records. */
export function describeUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}
