import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ModeState } from '../../domain/drain-mode.ts';
import type { InflightIntent } from '../../domain/inflight.ts';
import type { GateState, RegisterOutcome } from '../../domain/ports.ts';
import { writtenIf } from './conditional-write.ts';
import { gateFromItem, readModeRecord, shardKey } from './fence-store.ts';
import { intentToItem } from './intent-item.ts';

/**
 * How long a registrant may take from sending its Put to receiving its gate read and still answer 201. After it,
 * the registrant refuses (and removes its item), so anyone may remove an unadmitted item older than this plus the
 * clock skew allowance: its registrant can no longer admit it.
 */
export const ADMISSION_LEASE_MS = 5_000;

/**
 * Per shard, the newest `created_at` an admitted intent can have, or null (no limit: the gate admits, or its close
 * is not stamped yet). An intent admitted through a gate was Put before the gate's close was acknowledged; the
 * close stamp is taken after that, by a clock at most `skewMs` away from the registrant's. Once a drain has been
 * declared Drained by a zero count (not forced), nothing behind the closed gates was admitted: -Infinity.
 */
export function admissionCutoffs(
  fence: { readonly mode: ModeState; readonly gates: readonly GateState[] },
  skewMs: number,
): (number | null)[] {
  const sealed = (fence.mode.mode === 'Drained' || fence.mode.mode === 'Upgrading') && !fence.mode.forced;
  const cutoffs: (number | null)[] = [];
  for (const g of fence.gates) {
    const stamped = !g.open && g.closedAt !== null && g.closeCountRev === g.rev;
    cutoffs[g.shard] =
      !g.open && sealed ? Number.NEGATIVE_INFINITY : stamped ? (g.closedAt as number) + skewMs : null;
  }
  return cutoffs;
}

/** An item created after its shard's cutoff: Put while the gate was closed, so never admitted through it. */
export const unadmitted = (item: Record<string, unknown>, cutoff: number | null | undefined): boolean =>
  cutoff !== null && cutoff !== undefined && Number(item.created_at) > cutoff;

export interface AdmissionTables {
  readonly intents: string;
  readonly control: string;
}

/**
 * Registration at 1 WCU + 1 RCU, with no transaction and no write to a shared item: a conditional Put of the
 * intent, then a strongly consistent read of its shard's gate. The argument that nothing slips past a drain is in
 * docs/fence-design.md.
 */
export async function admit(
  db: DynamoDBDocumentClient,
  tables: AdmissionTables,
  intent: InflightIntent,
  shard: number,
  runningVersion: string,
  skewMs: number,
): Promise<RegisterOutcome> {
  const sent = performance.now();
  const put = await putIntent(db, tables, intent, shard, skewMs);
  return put === 'written' ? checkGate(db, tables, intent, shard, runningVersion, sent) : put;
}

/**
 * Step 1: the conditional Put. An id that is there already is a retry of a registration whose answer was lost, or
 * another producer's id: inflight ('duplicate'), unless it was Put behind a closed gate and so never admitted.
 */
export async function putIntent(
  db: DynamoDBDocumentClient,
  tables: AdmissionTables,
  intent: InflightIntent,
  shard: number,
  skewMs: number,
): Promise<'written' | 'duplicate' | 'fenced'> {
  try {
    await db.send(
      new PutCommand({
        TableName: tables.intents,
        Item: intentToItem(intent, shard),
        ConditionExpression: 'attribute_not_exists(id)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return 'written';
  } catch (err) {
    if (!(err instanceof ConditionalCheckFailedException)) throw err;
    const existing = unmarshalledCreatedAt(err.Item);
    const [mode, gate] = await Promise.all([
      readModeRecord(db, tables.control), // only on the rare path of an id that exists already
      readGate(db, tables.control, shard, 0),
    ]);
    const [cutoff] = admissionCutoffs({ mode, gates: [gate] }, skewMs);
    return unadmitted({ created_at: existing }, cutoff) ? 'fenced' : 'duplicate';
  }
}

/**
 * Step 2: the gate, read strongly consistent. Admitted only if it is open for `runningVersion` and the answer came
 * back within the lease counted from `sentAt` (before the Put); otherwise the registrant deletes its own item.
 */
export async function checkGate(
  db: DynamoDBDocumentClient,
  tables: AdmissionTables,
  intent: InflightIntent,
  shard: number,
  runningVersion: string,
  sentAt: number,
): Promise<'registered' | 'fenced'> {
  const gate = await readGate(db, tables.control, shard, shard);
  if (gate.open && gate.version === runningVersion && performance.now() - sentAt < ADMISSION_LEASE_MS)
    return 'registered';
  await deleteIfCreatedAt(db, tables.intents, { shard, id: intent.id }, intent.created_at);
  return 'fenced';
}

/** One gate, strongly consistent (1 RCU), reported as shard `as` (a missing gate admits nothing). */
async function readGate(
  db: DynamoDBDocumentClient,
  table: string,
  shard: number,
  as: number,
): Promise<GateState> {
  const out = await db.send(new GetCommand({ TableName: table, Key: shardKey(shard), ConsistentRead: true }));
  return gateFromItem(as, out.Item ?? { gate: 'closed' });
}

/** Deletes the item of this registration only (never a later registration of the same id); true if it did. */
async function deleteIfCreatedAt(
  db: DynamoDBDocumentClient,
  table: string,
  key: { shard: unknown; id: unknown },
  createdAt: unknown,
): Promise<boolean> {
  return writtenIf(
    db.send(
      new DeleteCommand({
        TableName: table,
        Key: { shard: key.shard, id: key.id },
        ConditionExpression: 'created_at = :c',
        ExpressionAttributeValues: { ':c': createdAt },
      }),
    ),
  );
}

/**
 * Deletes the unadmitted items among `items`. Candidates are picked with `cutoffs`; then every candidate's lease is
 * waited out (at most the lease plus the skew allowance, once), so no registrant can still admit one; then the gates
 * are read again and only what is still unadmitted under them is deleted. (Judged on the first read alone, a gate
 * reopened meanwhile, by a resume or a registration's repair, could have admitted a candidate: it must stay.)
 */
export async function reapUnadmitted(
  db: DynamoDBDocumentClient,
  table: string,
  items: AsyncIterable<Record<string, unknown>>,
  cutoffs: readonly (number | null)[],
  now: number,
  skewMs: number,
  readCutoffs: () => Promise<readonly (number | null)[]>,
): Promise<number> {
  const found: Record<string, unknown>[] = [];
  for await (const item of items) if (unadmitted(item, cutoffs[Number(item.shard)])) found.push(item);
  if (found.length === 0) return 0;
  const leaseEnds = Math.max(...found.map((i) => Number(i.created_at))) + ADMISSION_LEASE_MS + skewMs;
  if (leaseEnds > now) await new Promise((r) => setTimeout(r, leaseEnds - now));
  const settled = await readCutoffs();
  let removed = 0;
  for (const item of found) {
    if (!unadmitted(item, settled[Number(item.shard)])) continue;
    if (await deleteIfCreatedAt(db, table, { shard: item.shard, id: item.id }, item.created_at)) removed++;
  }
  return removed;
}

const unmarshalledCreatedAt = (item: unknown): number =>
  Number((item as Record<string, { N?: string }> | undefined)?.created_at?.N ?? Number.NaN);
