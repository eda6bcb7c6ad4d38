import { executionLogInfo, platformLines } from './log-lines.ts';
import { LOG_EVENT_OVERHEAD_BYTES, PRICES } from './prices.ts';

/** The cost lines of one path, in dollars per million admitted intents. */
export interface CostLines {
  api: number;
  lambdaRequests: number;
  lambdaDuration: number;
  dynamodb: number;
  logs: number;
  traces: number;
}
export const total = (c: CostLines): number => Object.values(c).reduce((a, b) => a + b, 0);

/** What one route costs per request on a path: its inputs, each measured or read from the template. */
export interface RouteInputs {
  /** Requests of this route per intent (1, or 3 PATCHes). */
  readonly perIntent: number;
  readonly apiPerMillion: number;
  /** False for the producer client: no function runs. */
  readonly lambda: boolean;
  readonly handlerMs: number;
  readonly memoryMb: number;
  readonly architecture: string;
  readonly writeUnits: number;
  readonly readUnits: number;
  /** The function's own log bytes and lines per invocation (measured). */
  readonly functionLog: { bytes: number; lines: number };
  readonly platformLines: boolean;
  /** API Gateway's execution-log lines per request (none at ERROR for a success). */
  readonly executionLog: string[];
  /** API Gateway's access-log line (null: none). */
  readonly accessLog: string | null;
  /** The share of requests X-Ray records. */
  readonly traceRate: number;
}

const bytesOf = (lines: string[]) =>
  lines.reduce((n, l) => n + Buffer.byteLength(l) + LOG_EVENT_OVERHEAD_BYTES, 0);

/** The bytes of log one request ingests on a path: the function's, Lambda's, and API Gateway's two logs. */
export function logBytesPerRequest(r: RouteInputs): number {
  const fn = r.functionLog.bytes + r.functionLog.lines * LOG_EVENT_OVERHEAD_BYTES;
  const platform = r.lambda && r.platformLines ? bytesOf(platformLines(r.handlerMs, r.memoryMb)) : 0;
  return fn + platform + bytesOf(r.executionLog) + (r.accessLog === null ? 0 : bytesOf([r.accessLog]));
}

/** Dollars per million intents, line by line, for the routes an intent crosses. */
export function costPerMillionIntents(routes: RouteInputs[]): CostLines {
  const c: CostLines = { api: 0, lambdaRequests: 0, lambdaDuration: 0, dynamodb: 0, logs: 0, traces: 0 };
  for (const r of routes) {
    const requests = r.perIntent; // millions of requests per million intents
    c.api += requests * r.apiPerMillion;
    if (r.lambda) {
      c.lambdaRequests += requests * PRICES.lambdaRequestsPerMillion;
      const gbSeconds = (Math.ceil(r.handlerMs) / 1000) * (r.memoryMb / 1024);
      c.lambdaDuration += requests * 1e6 * gbSeconds * (PRICES.lambdaGbSecond[r.architecture] ?? Number.NaN);
    }
    c.dynamodb +=
      requests * (r.writeUnits * PRICES.dynamoWritePerMillion + r.readUnits * PRICES.dynamoReadPerMillion);
    c.logs += ((requests * 1e6 * logBytesPerRequest(r)) / 1024 ** 3) * PRICES.logsIngestionPerGb;
    c.traces += requests * r.traceRate * PRICES.xrayPerMillionTraces;
  }
  return c;
}

/** API Gateway's INFO execution log of a route, or nothing at ERROR/OFF (a successful request logs no error). */
export const executionLogAt = (level: string, method: string, resource: string): string[] =>
  level === 'INFO' ? executionLogInfo(method, resource) : [];
