import type { IncomingMessage, ServerResponse } from 'node:http';

/** Misbehaviour of a sample replica, for tests and the demo. */
export type ReplicaFault =
  | 'unhealthy_after_deploy'
  | 'wrong_version'
  | 'hang_deploy'
  | 'degrades_after_deploy'
  | 'hang_rollback'
  /** A relayer stuck on its first version: relays nothing until a deploy replaces it. */
  | 'not_relaying'
  /** A relayer that relays nothing before a deploy nor on a new version: only once rolled back to its first. */
  | 'new_version_not_relaying';

/** What a sample replica is: its version, the version it started on, its deploys, and a restart under way. */
export interface ReplicaState {
  version: string;
  /** The version it was first started on: "new" is any other (faults apply to new versions only). */
  initial: string;
  deploys: { version: string; at: number }[];
  /** A deploy restarts it: Unhealthy until this time (ms), then on `restartingTo`. */
  restartingUntil: number;
  restartingTo: string | null;
  /** Drained by a rolling release (POST /drain): it takes no new intents until POST /resume. */
  draining?: boolean;
}

export interface ReplicaOptions {
  readonly restartMs?: number;
  readonly degradeAfterMs?: number;
}

/** The state as of `now`: a restart that has finished has switched the version. */
export function settle(state: ReplicaState, now = Date.now()): ReplicaState {
  if (state.restartingTo !== null && now >= state.restartingUntil) {
    state.version = state.restartingTo;
    state.restartingTo = null;
  }
  return state;
}

/**
 * One sample replica's HTTP protocol (the deploy hooks the control plane calls): GET /health, GET /version,
 * POST /deploy {version}, which restarts it on that version after `restartMs`, and POST /drain and /resume (a
 * rolling release: a drained replica takes no new intents; its load balancer sends them to the others). `changed` is called after every
 * change of the state (the process of sample services saves it to disk).
 */
export function replicaHandler(
  state: ReplicaState,
  fault: () => ReplicaFault | undefined,
  opts: ReplicaOptions,
  changed: () => void = () => {},
) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const json = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    settle(state);
    const f = fault();
    const onNew = state.version !== state.initial;
    if (req.method === 'GET' && req.url === '/health') {
      const since = Date.now() - (state.deploys.at(-1)?.at ?? 0);
      const broken =
        (f === 'unhealthy_after_deploy' && onNew) ||
        (f === 'degrades_after_deploy' && onNew && since > (opts.degradeAfterMs ?? 5000));
      const status = state.restartingTo !== null || broken ? 'Unhealthy' : 'Healthy';
      return json(status === 'Healthy' ? 200 : 503, { status });
    }
    if (req.method === 'GET' && req.url === '/version')
      return json(200, { version: f === 'wrong_version' && onNew ? `${state.version}-rc` : state.version });
    if (req.method === 'POST' && (req.url === '/drain' || req.url === '/resume')) {
      state.draining = req.url === '/drain';
      changed();
      return json(200, { draining: state.draining });
    }
    if (req.method === 'POST' && req.url === '/deploy') {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        const version = (JSON.parse(body || '{}') as { version?: string }).version;
        if (!version) return json(400, { error: 'version required' });
        if (f === 'hang_deploy') return; // never answers
        if (f === 'hang_rollback' && version === state.initial) return; // a deploy back never answers
        const at = Date.now();
        state.deploys.push({ version, at });
        state.restartingUntil = at + (opts.restartMs ?? 300);
        state.restartingTo = version;
        changed();
        json(202, { deploying: version });
      });
      return;
    }
    json(404, { error: 'not found' });
  };
}

/**
 * Whether a relayer replica relays IBC packets now: not while it restarts, and not when a fault says it does not
 * (see ReplicaFault). The sample relayer (sample-relayer.ts) asks this before each round.
 */
export function isRelaying(state: ReplicaState, fault: ReplicaFault | undefined, now = Date.now()): boolean {
  settle(state, now);
  if (state.restartingTo !== null) return false;
  const deployed = state.deploys.length > 0;
  if (fault === 'not_relaying') return deployed;
  if (fault === 'new_version_not_relaying') return deployed && state.version === state.initial;
  return true;
}

export const freshState = (version: string): ReplicaState => ({
  version,
  initial: version,
  deploys: [],
  restartingUntil: 0,
  restartingTo: null,
});
