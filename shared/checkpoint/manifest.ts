/** One gzip JSON Lines part of a checkpoint. */
export interface CheckpointPart {
  readonly name: string;
  readonly key: string;
  readonly records: number;
  /** SHA-256 of the stored (gzip) bytes, hex. */
  readonly sha256: string;
  readonly bytes: number;
}

/** What a checkpoint holds; stored beside its parts, with its own hash kept in the index. */
export interface CheckpointManifest {
  readonly format_version: 1;
  readonly id: string;
  readonly upgrade_id: string | null;
  readonly protocol_version: string;
  readonly created_at: string;
  readonly record_counts: Record<string, number>;
  readonly parts: readonly CheckpointPart[];
}

export const CHECKPOINT_FORMAT_VERSION = 1;

/** Index entry of a checkpoint (control table), so checkpoints are listed without listing the bucket. */
export interface CheckpointSummary {
  readonly id: string;
  readonly upgrade_id: string | null;
  readonly protocol_version: string;
  readonly created_at: string;
  readonly record_counts: Record<string, number>;
  readonly manifest_key: string;
  readonly manifest_sha256: string;
  readonly expires_at: number;
}

export interface CheckpointIndex {
  put(summary: CheckpointSummary): Promise<void>;
  get(id: string): Promise<CheckpointSummary | null>;
  /** Newest first, expired ones left out. */
  list(limit: number, now: number): Promise<CheckpointSummary[]>;
}

/** A snapshot source: something whose state the checkpoint keeps beside the inflight intents. */
export interface CheckpointSource {
  readonly name: string;
  records(): AsyncIterable<unknown>;
}

/**
 * Parses a stored manifest and checks its shape, so a damaged one is reported rather than trusted: every part
 * named, with a key under the manifest's own folder, a hex SHA-256 and whole counts. Throws saying what is wrong.
 */
export function parseManifest(body: Buffer, manifestKey: string): CheckpointManifest {
  const m = JSON.parse(body.toString('utf8')) as Partial<CheckpointManifest> | null;
  if (typeof m !== 'object' || m === null || !Array.isArray(m.parts)) throw new Error('no parts list');
  const folder = manifestKey.slice(0, manifestKey.lastIndexOf('/') + 1);
  for (const [i, p] of m.parts.entries()) {
    const ok =
      typeof p === 'object' &&
      p !== null &&
      typeof p.name === 'string' &&
      p.key === `${folder}${p.name}.jsonl.gz` &&
      typeof p.sha256 === 'string' &&
      /^[0-9a-f]{64}$/.test(p.sha256) &&
      Number.isInteger(p.records) &&
      Number.isInteger(p.bytes);
    if (!ok) throw new Error(`part ${i + 1} of the parts list is malformed`);
  }
  return m as CheckpointManifest;
}
