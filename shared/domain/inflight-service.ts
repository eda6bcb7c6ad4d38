import { admitsIntents } from './drain-mode.ts';
import { retryAfterSecs } from './drain-status.ts';
import {
  ConflictError,
  NotAdmittingError,
  NotFoundError,
  UnknownVersionError,
  UpgradeRequiredError,
  ValidationError,
} from './errors.ts';
import { duplicatePacket, type IbcPacket } from './ibc-packet.ts';
import {
  DEFAULT_PHASE,
  INTENT_ID_PATTERN,
  type InflightIntent,
  type InflightPage,
  type InflightQuery,
  type IntentPatch,
  PHASE_PATTERN,
  type RegisterIntent,
  VERSION_PATTERN,
} from './inflight.ts';
import {
  countsFor,
  DEFAULT_OUTCOME,
  type Outcome,
  type OutcomeCounting,
  type OutcomeLedger,
} from './outcomes.ts';
import type { Clock, FenceStore, IntentStore } from './ports.ts';

export interface InflightServiceDeps {
  readonly fence: FenceStore;
  readonly intents: IntentStore;
  readonly clock: Clock;
  /** How long the mode (running and deprecated versions) is cached for registrations, in ms (default 10 s). */
  readonly versionCacheMs?: number;
  /** Versions the migrations know, for the message that lists the accepted ones. */
  readonly knownVersions?: readonly string[];
  /** Counts completions by outcome while a bake watches them (absent: outcomes are only reported). */
  readonly outcomes?: OutcomeLedger;
}

/**
 * At most this long a refusal is repeated without asking DynamoDB again (and never longer than the version cache).
 * It is also how long after a resume a producer may still be refused: a quarter second (it was a second, the largest
 * part of a no-op upgrade's refusal window after the resume), at up to 4 refused writes a second per instance.
 */
const REFUSAL_CACHE_MS = 250;
/** How long a completion trusts what it last read of the bake's counting (a bake's first seconds may go uncounted). */
const COUNTING_CACHE_MS = 1_000;

export interface CompleteResult {
  readonly id: string;
  /** False when the intent was not inflight: completed before, or never registered. Counts are untouched. */
  readonly completed: boolean;
  readonly outcome: Outcome;
  /** The upgrade whose bake counted this completion, if one did. */
  readonly counted_for: string | null;
}

/**
 * The inflight tracker. Registration writes the intent and then reads its shard's gate: an intent is either
 * admitted and counted, or refused with nothing left behind (docs/fence-design.md).
 */
export class InflightService {
  private cachedVersions: (Versions & { until: number }) | null = null;
  /** A refusal just seen, repeated without a write for at most a second (a drain refuses every producer's retry). */
  private refusing: { error: NotAdmittingError; until: number } | null = null;
  private countingCache: { value: OutcomeCounting | null; until: number } | null = null;

  constructor(private readonly d: InflightServiceDeps) {}

  /**
   * Admits an intent, or refuses it. `fresh` skips what this process remembers (a refusal repeated for a second,
   * the cached versions): for a caller that must see the mode as it is now, as the smoke test right after a resume.
   */
  async register(req: RegisterIntent, opts: { fresh?: boolean } = {}): Promise<InflightIntent> {
    checkId(req.id);
    if (req.phase !== undefined) checkPhase(req.phase);
    if (req.protocol_version !== undefined) checkVersion(req.protocol_version);
    if (!opts.fresh && this.refusing && this.refusing.until > this.d.clock.now()) throw this.refusing.error;
    if (opts.fresh) this.cachedVersions = null;
    const versions = await this.versions();
    if (req.protocol_version !== undefined) this.checkAccepted(req.protocol_version, versions);
    const now = this.d.clock.now();
    const packets = checkPackets(req.ibc_packets);
    const intent: InflightIntent = {
      id: req.id,
      phase: req.phase ?? DEFAULT_PHASE,
      user_funds_locked: req.user_funds_locked ?? false,
      solver_funds_locked: req.solver_funds_locked ?? false,
      ibc_in_flight: req.ibc_in_flight ?? (packets?.length ?? 0) > 0,
      ...(packets?.length ? { ibc_packets: packets } : {}),
      protocol_version: req.protocol_version ?? versions.running,
      created_at: now,
      updated_at: now,
      ...(req.smoke_test ? { smoke_test: true } : {}),
      ...(req.owner ? { owner: req.owner } : {}),
    };
    // The cached version is a guess: the gate's own version is part of the admission's condition, so a stale
    // guess is refused, the mode re-read, and the intent stamped again with what the gate says.
    let running = versions.running;
    let stamped = intent;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.d.intents.register(stamped, running);
      if (outcome === 'registered') return stamped;
      if (outcome === 'duplicate') {
        throw new ConflictError(
          'duplicate_intent',
          `intent ${intent.id} is already inflight (registered before, perhaps by a call whose answer was lost): carry on with it and complete it, or use another id for a new intent`,
        );
      }
      const mode = await this.d.fence.readMode();
      if (admitsIntents(mode.mode) && attempt < 2) {
        this.cachedVersions = null;
        if (mode.version !== running) {
          running = mode.version;
          stamped = { ...intent, protocol_version: req.protocol_version ?? running };
          continue;
        }
        // The mode admits on this version but the gate disagrees: a mode change was interrupted. Repair, retry.
        await this.d.fence.setGates(true, mode.fenceRev, mode.version);
        continue;
      }
      const why = mode.reason ? ` (${mode.reason})` : '';
      const refusal = new NotAdmittingError(
        mode.mode,
        retryAfterSecs(mode, this.d.clock.now()),
        `not admitting new intents: the system is ${mode.mode}${why}; retry after the Retry-After interval`,
      );
      const holdMs = Math.min(this.d.versionCacheMs ?? 10_000, REFUSAL_CACHE_MS);
      if (!admitsIntents(mode.mode) && holdMs > 0)
        this.refusing = { error: refusal, until: this.d.clock.now() + holdMs };
      throw refusal;
    }
  }

  async update(id: string, patch: IntentPatch): Promise<InflightIntent> {
    checkId(id);
    if (Object.values(patch).every((v) => v === undefined)) {
      throw new ValidationError(
        'nothing to change: give phase, user_funds_locked, solver_funds_locked, ibc_in_flight or ibc_packets',
      );
    }
    if (patch.phase !== undefined) checkPhase(patch.phase);
    const packets = checkPackets(patch.ibc_packets);
    // New packets say whether IBC is under way, unless the caller says it.
    const change =
      packets && patch.ibc_in_flight === undefined ? { ...patch, ibc_in_flight: packets.length > 0 } : patch;
    const updated = await this.d.intents.update(id, change, this.d.clock.now());
    if (updated === null)
      throw new NotFoundError(`intent ${id} is not inflight (completed, or never registered)`);
    return updated;
  }

  /**
   * Idempotent: completing twice, or an unknown id, leaves every count as it was. While a bake counts outcomes, the
   * completion adds its outcome there after the delete (a crash between the two loses that one sample, no more).
   */
  async complete(id: string, outcome: Outcome = DEFAULT_OUTCOME): Promise<CompleteResult> {
    checkId(id);
    const removed = await this.d.intents.complete(id);
    const counted = removed ? await this.countOutcome(id, outcome, removed.owner) : null;
    return { id, completed: removed !== null, outcome, counted_for: counted };
  }

  /**
   * Adds the outcome to the bake counting it, if one does. The completion has happened whatever this does: a failed
   * count (a throttled write) loses that one sample, never the completion, so it is not an error to the caller.
   */
  private async countOutcome(id: string, outcome: Outcome, owner: string | null): Promise<string | null> {
    try {
      const counting = await this.counting();
      if (!counting || !this.d.outcomes || !countsFor(counting, owner)) return null;
      await this.d.outcomes.add(counting.upgradeId, outcome, id);
      return counting.upgradeId;
    } catch {
      return null;
    }
  }

  private async counting(): Promise<OutcomeCounting | null> {
    if (!this.d.outcomes) return null;
    const now = this.d.clock.now();
    if (!this.countingCache || this.countingCache.until <= now)
      this.countingCache = { value: await this.d.outcomes.counting(), until: now + COUNTING_CACHE_MS };
    const c = this.countingCache.value;
    return c && c.until > now ? c : null;
  }

  /** Freezes every inflight intent for an upgrade (before its checkpoint); writes to them answer 503 until resume. */
  freezeAll(upgradeId: string): Promise<number> {
    return this.d.intents.freezeAll(upgradeId);
  }

  async get(id: string): Promise<InflightIntent> {
    checkId(id);
    const intent = await this.d.intents.get(id);
    if (intent === null) throw new NotFoundError(`intent ${id} is not inflight`);
    return intent;
  }

  /** The number of inflight intents (a strongly consistent count). */
  async count(): Promise<number> {
    return (await this.d.intents.census()).total;
  }

  list(query: InflightQuery): Promise<InflightPage> {
    if (query.phase !== undefined) checkPhase(query.phase);
    return this.d.intents.list(query);
  }

  /**
   * A registration names the running version or one the control plane knows how to migrate (its registry), never a
   * deprecated one: an unknown version is invalid, a deprecated one must upgrade (the seeds' "upgrade required").
   */
  private checkAccepted(version: string, v: Versions): void {
    const accepted = [...new Set([v.running, ...(this.d.knownVersions ?? [])])]
      .filter((k) => !v.deprecated.includes(k))
      .sort();
    if (v.deprecated.includes(version)) {
      const sunset = v.sunsets[version];
      const when = sunset === undefined ? null : new Date(sunset).toISOString();
      throw new UpgradeRequiredError(
        `protocol_version ${version} is deprecated and no longer admitted${when ? ` (sunset ${when})` : ''}: upgrade required; accepted versions: ${accepted.join(', ')}`,
        accepted,
        when,
      );
    }
    if (!accepted.includes(version))
      throw new UnknownVersionError(
        `protocol_version ${version} is not one this system runs or can migrate; accepted versions: ${accepted.join(', ')}`,
        accepted,
      );
  }

  private async versions(): Promise<Versions> {
    const now = this.d.clock.now();
    if (this.cachedVersions && this.cachedVersions.until > now) return this.cachedVersions;
    const mode = await this.d.fence.readMode();
    this.cachedVersions = {
      running: mode.version,
      deprecated: mode.deprecatedVersions,
      sunsets: mode.versionSunsets,
      until: now + (this.d.versionCacheMs ?? 10_000),
    };
    return this.cachedVersions;
  }
}

/** What a registration is checked against: the running version, the deprecated ones and their sunsets. */
interface Versions {
  readonly running: string;
  readonly deprecated: readonly string[];
  readonly sunsets: Readonly<Record<string, number>>;
}

const checkId = (id: string): void => {
  if (!INTENT_ID_PATTERN.test(id)) {
    throw new ValidationError(
      'intent id must be 1-128 characters of letters, digits and . _ : - (starting with a letter or digit)',
    );
  }
};
const checkPhase = (phase: string): void => {
  if (!PHASE_PATTERN.test(phase))
    throw new ValidationError('phase must be a word of letters, digits and _ (up to 64)');
};
const checkVersion = (v: string): void => {
  if (!VERSION_PATTERN.test(v))
    throw new ValidationError('protocol_version must look like 1.2.0 (letters, digits, . + -)');
};

/** An intent's packets, each listed once (a sequence twice on one channel is a producer's mistake: refused). */
function checkPackets(packets: readonly IbcPacket[] | undefined): readonly IbcPacket[] | undefined {
  if (!packets) return packets;
  const twice = duplicatePacket(packets);
  if (twice) throw new ValidationError(`ibc_packets lists packet ${twice} twice: give each packet once`);
  return packets;
}
