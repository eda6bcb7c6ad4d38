import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { safeExcerpt } from './excerpt.ts';
import {
  describeUrl,
  type OutboundPolicy,
  outboundPolicy,
  refusedAddress,
  refusedUrl,
} from './outbound-url.ts';

/** A call to a target that the control plane refused to make, or whose answer it refused (a redirect). */
export class OutboundError extends Error {
  override readonly name = 'OutboundError';
}

export interface GuardedRequest {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** Aborts the call from outside (a health check's own deadline). */
  readonly signal?: AbortSignal;
  readonly policy?: OutboundPolicy;
  /** Bytes of the answer kept; the rest is not read. */
  readonly maxBytes?: number;
  /** Resolves names (default dns.lookup with all addresses); tests pass their own to play DNS tricks. */
  readonly resolve?: Resolver;
}

/** dns.lookup's shape, with all addresses. */
export type Resolver = (
  hostname: string,
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

const systemResolver: Resolver = (hostname, callback) => dnsLookup(hostname, { all: true }, callback);

/**
 * Resolves the name itself, checks every address it resolves to, and hands the connection only those: what is
 * checked is what is connected to, so DNS rebinding between check and connect cannot slip past.
 */
function vettedLookup(policy: OutboundPolicy, resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, (err, found) => {
      const cb = callback as (e: Error | null, a: string | LookupAddress[], f?: number) => void;
      if (err) return cb(err, []);
      for (const a of found) {
        const why = refusedAddress(a.address, policy, hostname);
        if (why) return cb(new OutboundError(`${hostname} resolves to a refused address: ${why}`), []);
      }
      if (options.all) return cb(null, found);
      const first = found[0];
      if (!first) return cb(new OutboundError(`${hostname} resolves to no address`), []);
      cb(null, first.address, first.family);
    });
  };
}

const absolute = (location: string, base: URL): string => {
  try {
    return new URL(location, base).href;
  } catch {
    return location;
  }
};

/** Reads at most `maxBytes` of the answer; an answer cut off before its end (a timeout, a reset) is an error. */
function readCapped(res: IncomingMessage, maxBytes: number, shown: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      if (size < maxBytes) chunks.push(c.subarray(0, maxBytes - size));
      size += c.length;
      if (size >= maxBytes) res.destroy();
    });
    const done = () => {
      if (res.complete || size >= maxBytes) resolve(Buffer.concat(chunks).toString('utf8'));
      else reject(new OutboundError(`${shown}: the answer was cut off before its end`));
    };
    res.on('end', done);
    res.on('close', done);
    res.on('error', done);
  });
}

/**
 * One HTTP(S) call to a target named by an operator: http(s) only, no credentials in the URL, every resolved
 * address checked against the outbound policy, redirects not followed (a 3xx is an OutboundError), the answer
 * capped. Error messages name the URL without its query and quote at most a sanitised excerpt of the answer.
 */
export async function guardedRequest(
  url: string,
  req: GuardedRequest,
): Promise<{ status: number; text: string }> {
  const policy = req.policy ?? outboundPolicy();
  const shown = describeUrl(url);
  const why = refusedUrl(url, policy);
  if (why) throw new OutboundError(`${shown} ${why}`);
  const target = new URL(url);
  const signals = [AbortSignal.timeout(req.timeoutMs), ...(req.signal ? [req.signal] : [])];
  const options: RequestOptions = {
    method: req.method ?? 'GET',
    headers: {
      ...req.headers,
      ...(req.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(req.body)) }),
    },
    lookup: vettedLookup(policy, req.resolve ?? systemResolver),
    agent: false,
    signal: AbortSignal.any(signals),
  };
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const r = send(target, options, resolve);
    r.on('error', (err: Error) => {
      if (err.name === 'AbortError' && signals[0]?.aborted)
        reject(new OutboundError(`${shown} did not answer within ${req.timeoutMs / 1000} s`));
      else if (err instanceof OutboundError) reject(err);
      else reject(new OutboundError(`${shown}: ${err.message}`));
    });
    r.end(req.body);
  });
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400) {
    res.destroy();
    const to = res.headers.location
      ? ` to ${safeExcerpt(describeUrl(absolute(res.headers.location, target)), 120)}`
      : '';
    throw new OutboundError(
      `${shown} answered ${status}, a redirect${to}: redirects are not followed, give the final URL`,
    );
  }
  return { status, text: await readCapped(res, req.maxBytes ?? 64 * 1024, shown) };
}
