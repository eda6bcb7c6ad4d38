import { createHash, randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { ConflictError, NotFoundError } from '../domain/errors.ts';
import type { Clock } from '../domain/ports.ts';
import type { StoredRecord } from '../migration/migration.ts';
import type { RecordStore } from '../migration/record-store.ts';
import { JsonLinesGzipWriter } from './jsonl-gzip.ts';
import {
  CHECKPOINT_FORMAT_VERSION,
  type CheckpointIndex,
  type CheckpointManifest,
  type CheckpointPart,
  type CheckpointSource,
  type CheckpointSummary,
  parseManifest,
} from './manifest.ts';
import type { ObjectStore } from './object-store.ts';
import { CorruptPartError, readGzipJsonLines, statsProblems, withVerifiedPart } from './part-reader.ts';

export interface CheckpointDeps {
  readonly objects: ObjectStore;
  readonly index: CheckpointIndex;
  readonly records: RecordStore;
  readonly sources: readonly CheckpointSource[];
  readonly clock: Clock;
  readonly retentionDays: number;
  /** Parallel scan segments when reading the intents (1 on small tables). */
  readonly scanSegments?: number;
}

export interface ValidationResult {
  readonly id: string;
  readonly valid: boolean;
  readonly problems: string[];
  readonly manifest: CheckpointManifest | null;
}

/** Thrown when a checkpoint fails validation: it is never restored from. */
export class CheckpointInvalidError extends ConflictError {
  constructor(id: string, problems: string[]) {
    super(
      'checkpoint_invalid',
      `checkpoint ${id} failed validation and will not be restored: ${problems.join('; ')}`,
      { problems },
    );
  }
}

/**
 * The pending IBC packets of one stored intent: each packet it carries (port, channel, sequence, timeouts), or, for
 * an intent flagged as in IBC without its packets, one entry naming only the intent.
 */
const ibcPackets = (r: StoredRecord) => {
  const base = {
    intent_id: r.id,
    phase: r.phase,
    protocol_version: r.protocol_version,
    created_at: r.created_at,
  };
  const packets = Array.isArray(r.ibc_packets) ? (r.ibc_packets as Record<string, unknown>[]) : [];
  return packets.length ? packets.map((p) => ({ ...base, ...p })) : [base];
};

/** Takes a page of pending IBC packet entries and gives them back with their on-chain status added. */
export type PacketStatus = (entries: Record<string, unknown>[]) => Promise<Record<string, unknown>[]>;

/** Conditional Puts a restore keeps in flight (the DynamoDB client's sockets allow 50). */
export const RESTORE_CONCURRENCY = 32;

/**
 * Checkpoints: a manifest plus gzip JSON Lines parts (inflight intents, pending IBC packets, the configuration in
 * force, and one part per pluggable source), streamed so memory does not grow with the number of records.
 * Every restore validates hashes and counts first.
 */
export class CheckpointService {
  constructor(private readonly d: CheckpointDeps) {}

  async create(input: {
    upgradeId: string | null;
    protocolVersion: string;
    config: unknown;
    /** Parts only this checkpoint has (the contract's inflight settlements, say). */
    extraSources?: readonly CheckpointSource[];
    /** Adds each pending IBC packet's on-chain status (the checkpoint step reads the chain). */
    packetStatus?: PacketStatus;
  }): Promise<CheckpointManifest> {
    const now = this.d.clock.now();
    const id = `ckpt-${new Date(now).toISOString().replace(/[-:.]/g, '').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
    const prefix = `checkpoints/${id}`;
    const parts: CheckpointPart[] = [];
    const opened = new Set<JsonLinesGzipWriter>();
    /** Opens a part: its writer, and the upload that consumes it (a failed upload stops the writer). */
    const open = (name: string) => {
      const key = `${prefix}/${name}.jsonl.gz`;
      const writer = new JsonLinesGzipWriter();
      opened.add(writer);
      const upload = this.d.objects.put(key, writer.stream, 'application/gzip');
      upload.catch((err: Error) => writer.abort(err)); // also awaited in close()
      const close = async () => {
        const [stats] = await Promise.all([writer.end(), upload]);
        opened.delete(writer);
        parts.push({ name, key, ...stats });
      };
      return { writer, close };
    };
    try {
      await this.writeParts(open, input.config, input.extraSources ?? [], input.packetStatus);
    } catch (err) {
      for (const w of opened) w.abort(new Error(`checkpoint ${id} abandoned: ${(err as Error).message}`));
      throw err;
    }
    const manifest: CheckpointManifest = {
      format_version: CHECKPOINT_FORMAT_VERSION,
      id,
      upgrade_id: input.upgradeId,
      protocol_version: input.protocolVersion,
      created_at: new Date(now).toISOString(),
      record_counts: Object.fromEntries(parts.map((p) => [p.name, p.records])),
      parts,
    };
    const body = Buffer.from(JSON.stringify(manifest, null, 2));
    const manifestKey = `${prefix}/manifest.json`;
    await this.d.objects.put(manifestKey, body, 'application/json');
    await this.d.index.put({
      id,
      upgrade_id: input.upgradeId,
      protocol_version: input.protocolVersion,
      created_at: manifest.created_at,
      record_counts: manifest.record_counts,
      manifest_key: manifestKey,
      manifest_sha256: createHash('sha256').update(body).digest('hex'),
      expires_at: Math.floor(now / 1000) + this.d.retentionDays * 86_400,
    });
    return manifest;
  }

  /** Streams every part: the intents and pending IBC packets (one pass), the configuration, then each source. */
  private async writeParts(
    open: (name: string) => { writer: JsonLinesGzipWriter; close: () => Promise<void> },
    config: unknown,
    extraSources: readonly CheckpointSource[],
    packetStatus: PacketStatus | undefined,
  ): Promise<void> {
    // One pass over the intents feeds both the intents part and the pending IBC packets part.
    const intents = open('inflight_intents');
    const ibc = open('pending_ibc_packets');
    for await (const page of this.d.records.pages(this.d.scanSegments ?? 1)) {
      await intents.writer.write(page);
      const packets = page
        .filter((r) => r.ibc_in_flight === true || (Array.isArray(r.ibc_packets) && r.ibc_packets.length > 0))
        .flatMap(ibcPackets);
      await ibc.writer.write(packetStatus && packets.length ? await packetStatus(packets) : packets);
    }
    await intents.close();
    await ibc.close();
    const configPart = open('config');
    await configPart.writer.write([config]);
    await configPart.close();
    for (const source of [...this.d.sources, ...extraSources]) {
      const part = open(source.name);
      let batch: unknown[] = [];
      for await (const r of source.records()) {
        batch.push(r);
        if (batch.length >= 500) {
          await part.writer.write(batch);
          batch = [];
        }
      }
      await part.writer.write(batch);
      await part.close();
    }
  }

  async summary(id: string): Promise<CheckpointSummary> {
    const s = await this.d.index.get(id);
    if (!s) throw new NotFoundError(`no checkpoint ${id}`);
    return s;
  }

  list(limit: number): Promise<CheckpointSummary[]> {
    return this.d.index.list(limit, Math.floor(this.d.clock.now() / 1000));
  }

  /**
   * Recomputes every hash and count against the manifest, and the manifest's hash against the index. Never throws
   * for a damaged or missing object: each problem names its part and says why.
   */
  async validate(id: string): Promise<ValidationResult> {
    const summary = await this.summary(id);
    const problems: string[] = [];
    let manifest: CheckpointManifest | null = null;
    try {
      const chunks: Buffer[] = [];
      for await (const c of await this.d.objects.get(summary.manifest_key)) chunks.push(c as Buffer);
      const body = Buffer.concat(chunks);
      if (createHash('sha256').update(body).digest('hex') !== summary.manifest_sha256)
        problems.push('manifest: sha256 differs from the index');
      manifest = parseManifest(body, summary.manifest_key);
    } catch (err) {
      problems.push(`manifest: unreadable (${(err as Error).message})`);
    }
    for (const part of manifest?.parts ?? []) {
      try {
        const got = await readGzipJsonLines(await this.d.objects.get(part.key), () => {});
        for (const p of statsProblems(part, got)) problems.push(`part ${part.name}: ${p}`);
      } catch (err) {
        const why = err instanceof CorruptPartError ? 'corrupt' : 'unreadable';
        problems.push(`part ${part.name}: ${why} (${(err as Error).message})`);
      }
    }
    return { id, valid: problems.length === 0, problems, manifest };
  }

  /**
   * Puts every checkpointed intent back as it was, if still inflight. Refuses a checkpoint that fails validation,
   * and writes no record from bytes whose hash it has not checked first (the part is verified as a whole before the
   * first write), so a corrupt checkpoint is never half restored. A checkpoint that is corrupt, missing or changed
   * after validation gives a CheckpointInvalidError (the rollback then reverses the migrations instead).
   */
  async restore(id: string): Promise<{ restored: number; gone: number }> {
    const check = await this.validate(id).catch((err: unknown) => {
      if (err instanceof NotFoundError) throw new CheckpointInvalidError(id, [err.message]);
      throw err;
    });
    if (!check.valid || !check.manifest) throw new CheckpointInvalidError(id, check.problems);
    const part = check.manifest.parts.find((p) => p.name === 'inflight_intents');
    if (!part) throw new CheckpointInvalidError(id, ['no inflight_intents part']);
    const counts = { restored: 0, gone: 0 };
    try {
      await withVerifiedPart(this.d.objects, part, (open) => this.putBack(open(), counts));
    } catch (err) {
      // Either is found before the first write (the part is verified whole first): nothing has been restored.
      if (err instanceof CorruptPartError || err instanceof NotFoundError)
        throw new CheckpointInvalidError(id, [
          `part inflight_intents changed after validation: ${err.message}`,
        ]);
      throw err;
    }
    return counts;
  }

  /**
   * Writes each record of a verified part back, keeping RESTORE_CONCURRENCY writes in flight (a new one starts as
   * soon as any finishes, not when a whole batch has); every write settles before this returns or throws.
   */
  private async putBack(body: Readable, counts: { restored: number; gone: number }): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let failure: { err: unknown } | null = null;
    let slotFreed: (() => void) | null = null;
    try {
      await readGzipJsonLines(body, async (record) => {
        // Wait for a free slot: one waiter, woken by whichever write ends first (no race over every write).
        while (inFlight.size >= RESTORE_CONCURRENCY) await new Promise<void>((r) => (slotFreed = r));
        if (failure) throw failure.err;
        const write: Promise<void> = this.d.records
          .putIfPresent(record as StoredRecord)
          .then(
            (r) => {
              counts[r === 'restored' ? 'restored' : 'gone']++;
            },
            (err: unknown) => {
              failure ??= { err };
            },
          )
          .finally(() => {
            inFlight.delete(write);
            slotFreed?.();
            slotFreed = null;
          });
        inFlight.add(write);
      });
    } finally {
      await Promise.all(inFlight); // each write has its own handler: none can reject unheard
    }
    if (failure) throw (failure as { err: unknown }).err;
  }

  /** Every record of one part, for tests and inspection; a part that fails validation is refused. */
  async readPart(id: string, name: string): Promise<unknown[]> {
    const check = await this.validate(id);
    const part = check.manifest?.parts.find((p) => p.name === name);
    if (!part) throw new NotFoundError(`checkpoint ${id} has no part ${name}`);
    const bad = check.problems.filter((p) => p.startsWith(`part ${name}:`) || p.startsWith('manifest:'));
    if (bad.length) throw new CheckpointInvalidError(id, bad);
    const out: unknown[] = [];
    await readGzipJsonLines(await this.d.objects.get(part.key), (r) => {
      out.push(r);
    });
    return out;
  }
}
