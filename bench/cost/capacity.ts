import { DEFAULT_QUOTAS as Q } from './quotas.ts';

/** One demand against one quota at the design rate. */
export interface QuotaCheck {
  readonly what: string;
  readonly needed: number;
  readonly limit: number;
  /** What to raise when it does not fit (empty when it fits). */
  readonly raise: string;
}

/** What one way in needs per second at `rate` admissions/s. */
export interface PathDemand {
  readonly name: string;
  /** Requests per intent through API Gateway (0: none) and through Lambda (0: none). */
  readonly apiRequests: number;
  readonly lambdaRequests: number;
  /** Mean handler time in ms (what keeps an execution busy). */
  readonly handlerMs: number;
  /** Write and read units per intent on the intents table, and strongly consistent gate reads on the control table. */
  readonly intentWrites: number;
  readonly gateReads: number;
}

/** The share of a partition's throughput a shard key may take at the design rate, leaving the rest for skew. */
const PARTITION_HEADROOM = 0.6;

const check = (what: string, needed: number, limit: number, quota: string): QuotaCheck => ({
  what,
  needed: Math.ceil(needed),
  limit,
  raise:
    needed > limit ? `${quota} to at least ${Math.ceil((needed * 1.25) / 250) * 250} (25% headroom)` : '',
});

/** Every quota the path meets at `rate` admissions/s with `shards` fence shards. */
export function quotaChecks(p: PathDemand, rate: number, shards: number): QuotaCheck[] {
  const out: QuotaCheck[] = [];
  if (p.apiRequests)
    out.push(
      check('API Gateway requests/s', rate * p.apiRequests, Q.apiGatewayRps.value, Q.apiGatewayRps.quota),
    );
  if (p.lambdaRequests) {
    const rps = rate * p.lambdaRequests;
    // Busy executions (rps x duration), but at most 10 requests/s each.
    const concurrency = Math.max((rps * p.handlerMs) / 1000, rps / Q.lambdaRpsPerConcurrency);
    out.push(
      check(
        'Lambda concurrent executions',
        concurrency,
        Q.lambdaConcurrency.value,
        Q.lambdaConcurrency.quota,
      ),
    );
  }
  const writes = rate * p.intentWrites;
  out.push(check('intents table WRU/s', writes, Q.tableWriteUnits.value, Q.tableWriteUnits.quota));
  out.push({
    what: `intents WCU/s per shard key (${shards} keys)`,
    needed: Math.ceil(writes / shards),
    limit: Q.partitionWriteUnits,
    // A partition's 1,000 WCU/s, with room for skew (ids hash evenly, but a hot intent's PATCHes do not).
    raise:
      writes / shards > Q.partitionWriteUnits * PARTITION_HEADROOM
        ? `a new deployment with -c fenceShards=99 (${Math.ceil(writes / 99)} WCU/s a key; the shard count cannot change under a running one)`
        : '',
  });
  out.push(
    check(
      'control table RRU/s (gate reads)',
      rate * p.gateReads,
      Q.tableReadUnits.value,
      Q.tableReadUnits.quota,
    ),
  );
  out.push({
    what: `RCU/s per gate (${shards} gates)`,
    needed: Math.ceil((rate * p.gateReads) / shards),
    limit: Q.partitionReadUnits,
    raise: '',
  });
  return out;
}

/** Seconds Lambda takes to scale from nothing to `concurrency` (1,000 more every 10 s per function). */
export const scalingSeconds = (concurrency: number, functions: number): number =>
  Math.max(0, Math.ceil(concurrency / functions / Q.lambdaScalingPer10s) - 1) * 10;
