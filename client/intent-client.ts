import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type DynamoClientOptions, makeDocumentClient } from '../shared/adapters/dynamodb/client.ts';
import { readShardCount } from '../shared/adapters/dynamodb/fence-store.ts';
import { type TableNames, tableNamesFor } from '../shared/adapters/dynamodb/tables.ts';
import type { IntentPatch, RegisterIntent } from '../shared/domain/inflight.ts';
import {
  type CompletionReply,
  completionReply,
  type PresentedIntent,
  presentIntent,
} from '../shared/domain/intent-replies.ts';
import type { Outcome } from '../shared/domain/outcomes.ts';
import { type Clock, systemClock } from '../shared/domain/ports.ts';
import { buildInflight, type InflightParts } from '../shared/inflight-plane.ts';
import { isAccessDenied, ProducerAccessDeniedError } from './access-denied.ts';

export interface IntentClientOptions {
  /** The two tables (the data stack outputs them as ControlTableName and IntentsTableName). */
  readonly tables?: TableNames;
  /** Or the local stack's prefix (`ucp` gives ucp-control and ucp-intents). One of the two is needed. */
  readonly tablePrefix?: string;
  readonly region?: string;
  /** DynamoDB's endpoint, for DynamoDB Local or a proxy; unset on AWS. */
  readonly endpoint?: string;
  /** Credentials or an AWS SDK credential provider (default: the SDK's chain; dummy ones with `endpoint`). */
  readonly credentials?: DynamoClientOptions['credentials'];
  /**
   * The deployment's FENCE_SHARDS. Read from the mode record (`shard_count`) at the first call in any case; when
   * given, it must equal the stored one.
   */
  readonly shardCount?: number;
  /** FENCE_CLOCK_SKEW_MS of the deployment (default 1000, as the control plane's default). */
  readonly fenceClockSkewMs?: number;
  /** How long the running and deprecated versions are cached (default 10 s, as the intent Lambdas). */
  readonly versionCacheMs?: number;
  /** Each DynamoDB request's timeout (default 3 s); the SDK retries a timed-out request. */
  readonly requestTimeoutMs?: number;
  readonly clock?: Clock;
}

/**
 * The fence's register, update and complete run in the producer's own process, against DynamoDB, under its own IAM
 * role (the producer policy, cdk/producer-access.ts): the same InflightService and adapters the intent Lambdas run
 * (shared/inflight-plane.ts), so the answers are the routes' bodies and the refusals the same domain errors
 * (NotAdmittingError with `retryAfterSecs`, ConflictError `duplicate_intent`, NotFoundError, IntentFrozenError,
 * ...). AWS refusing the role is a ProducerAccessDeniedError naming the policy it lacks. The protocol is in
 * docs/fence-design.md ("Calling the fence directly").
 */
export class IntentClient {
  private readonly db: DynamoDBDocumentClient;
  private readonly tables: TableNames;
  private parts: Promise<InflightParts> | null = null;

  constructor(private readonly opts: IntentClientOptions) {
    const tables = opts.tables ?? (opts.tablePrefix ? tableNamesFor(opts.tablePrefix) : undefined);
    if (!tables) throw new Error('IntentClient needs `tables` ({ control, intents }) or `tablePrefix`');
    this.tables = tables;
    this.db = makeDocumentClient({
      endpoint: opts.endpoint,
      region: opts.region,
      requestTimeoutMs: opts.requestTimeoutMs ?? 3_000,
      credentials: opts.credentials,
    });
  }

  /** Admits an intent (the body of 201 POST /intents), or throws the refusal (NotAdmittingError while draining). */
  async register(req: RegisterIntent, opts: { fresh?: boolean } = {}): Promise<PresentedIntent> {
    return this.run('register', async (p) => presentIntent(await p.inflight.register(req, opts)));
  }

  /** Changes an inflight intent (the body of 200 PATCH /intents/{id}); allowed during a drain. */
  async update(id: string, patch: IntentPatch): Promise<PresentedIntent> {
    return this.run('update', async (p) => presentIntent(await p.inflight.update(id, patch)));
  }

  /** Completes an intent (the body of 200 POST /intents/{id}/complete); idempotent. */
  async complete(id: string, outcome?: Outcome): Promise<CompletionReply> {
    return this.run('complete', async (p) => completionReply(await p.inflight.complete(id, outcome)));
  }

  /** Closes the DynamoDB client's connections. */
  close(): void {
    this.db.destroy();
  }

  private async run<T>(
    operation: 'register' | 'update' | 'complete',
    call: (p: InflightParts) => Promise<T>,
  ): Promise<T> {
    try {
      return await call(await this.ready());
    } catch (err) {
      if (isAccessDenied(err)) throw new ProducerAccessDeniedError(operation, err.message);
      throw err;
    }
  }

  /** The services, built at the first call from the stored shard count (a failed read is tried again next call). */
  private ready(): Promise<InflightParts> {
    this.parts ??= this.build().catch((err: unknown) => {
      this.parts = null;
      throw err;
    });
    return this.parts;
  }

  private async build(): Promise<InflightParts> {
    const stored = await readShardCount(this.db, this.tables.control);
    if (this.opts.shardCount !== undefined && this.opts.shardCount !== stored)
      throw new Error(
        `shardCount ${this.opts.shardCount} does not match the deployment's: its mode record says ${stored} fence shards (FENCE_SHARDS)`,
      );
    const settings = {
      tables: this.tables,
      shardCount: stored,
      fenceClockSkewMs: this.opts.fenceClockSkewMs ?? 1_000,
      versionCacheMs: this.opts.versionCacheMs ?? 10_000,
    };
    return buildInflight(this.db, settings, this.opts.clock ?? systemClock);
  }
}
