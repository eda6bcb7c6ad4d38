import { duration, fields, type OutputMode, paint, stateColour, table } from './output.ts';

/** Renders of the API's answers for people (--json prints the answers themselves). */
type Body = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? '-' : String(v));
const num = (v: unknown) => (typeof v === 'number' ? v : Number(v ?? 0));
const ageOf = (iso: unknown) => (typeof iso === 'string' ? (Date.now() - Date.parse(iso)) / 1000 : null);
const untilOf = (iso: unknown) => (typeof iso === 'string' ? (Date.parse(iso) - Date.now()) / 1000 : null);
const when = (v: unknown) => (typeof v === 'string' ? v.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');
const tick = (m: OutputMode, outcome: string) =>
  outcome === 'succeeded'
    ? paint(m, 'green', '✓')
    : outcome === 'failed'
      ? paint(m, 'red', '✗')
      : paint(m, 'yellow', '▶');

export const stateWord = (m: OutputMode, s: unknown) => paint(m, stateColour(str(s)), str(s));

export function drainView(m: OutputMode, d: Body): string {
  const deadline = untilOf(d.deadline);
  return fields(m, [
    [
      'mode',
      `${stateWord(m, d.mode)} (version ${str(d.version)}${d.target_version ? ` -> ${str(d.target_version)}` : ''})`,
    ],
    ['admitting', d.admitting ? 'yes' : 'no (503 + Retry-After)'],
    ['inflight', d.inflight_count],
    ['oldest', d.oldest_inflight_age_secs === null ? null : duration(num(d.oldest_inflight_age_secs))],
    ['locked funds', d.inflight_with_locked_funds],
    [
      'pending IBC',
      `${str(d.pending_ibc_packets)} packets${typeof d.nearest_ibc_timeout_secs === 'number' ? `, nearest timeout in ${duration(Math.max(0, d.nearest_ibc_timeout_secs))} (ucp ibc pending)` : ''}`,
    ],
    ['reason', d.reason],
    [
      'deadline',
      deadline === null
        ? null
        : deadline >= 0
          ? `in ${duration(deadline)}`
          : paint(m, 'red', `passed ${duration(-deadline)} ago`),
    ],
  ]);
}

export function upgradeStatusView(m: OutputMode, s: Body): string {
  if (s.state === 'none')
    return fields(m, [
      ['upgrade', 'none has run yet'],
      ['inflight', s.inflight_count],
    ]);
  return fields(m, [
    ['upgrade', s.upgrade_id],
    ['state', stateWord(m, s.state)],
    ['versions', `${str(s.from_version)} -> ${str(s.target_version)}`],
    ['step', s.current_step],
    ['progress', s.progress_pct === undefined ? null : `${str(s.progress_pct)}%`],
    ['inflight', s.inflight_count],
    ['checkpoint', s.checkpoint_id],
    [
      'bake',
      s.bake ? `${str((s.bake as Body).state)}, ${duration(num((s.bake as Body).seconds_left))} left` : null,
    ],
    ['next', s.next],
    ['error', s.error ? paint(m, 'red', str(s.error)) : null],
  ]);
}

export function stepsView(m: OutputMode, steps: readonly Body[]): string {
  return table(
    m,
    ['', 'step', 'took', 'note'],
    steps.map((s) => {
      const end = typeof s.ended_at === 'number' ? s.ended_at : Date.now();
      return [
        tick(m, str(s.outcome)),
        str(s.name),
        duration((end - num(s.started_at)) / 1000),
        s.cause ? str(s.cause).slice(0, 80) : '',
      ];
    }),
  );
}

export function upgradeDetailView(m: OutputMode, d: Body): string {
  const u = (d.upgrade ?? {}) as Body;
  const head = fields(m, [
    ['upgrade', u.id],
    ['state', stateWord(m, u.state)],
    ['versions', `${str(u.from_version)} -> ${str(u.to_version)}`],
    ['reason', u.reason],
    ['error', u.error ? paint(m, 'red', str(u.error)) : null],
  ]);
  return `${head}\n\n${stepsView(m, (d.steps ?? []) as Body[])}`;
}

export const upgradesView = (m: OutputMode, b: Body) =>
  table(
    m,
    ['upgrade', 'outcome', 'from', 'to', 'started', 'took', 'error'],
    ((b.upgrades ?? []) as Body[]).map((u) => [
      str(u.id),
      stateWord(m, u.outcome),
      str(u.from),
      str(u.to),
      when(u.started),
      typeof u.finished === 'string' && typeof u.started === 'string'
        ? duration((Date.parse(u.finished) - Date.parse(u.started)) / 1000)
        : '-',
      u.error ? str(u.error).slice(0, 60) : '',
    ]),
  );

export function inflightView(m: OutputMode, b: Body): string {
  const rows = ((b.intents ?? []) as Body[]).map((i) => [
    str(i.id),
    str(i.phase),
    i.user_funds_locked || i.solver_funds_locked ? paint(m, 'yellow', 'locked') : '',
    duration(typeof i.created_at === 'number' ? (Date.now() - i.created_at) / 1000 : ageOf(i.created_at)),
    str(i.protocol_version),
  ]);
  const more = b.next_cursor ? `\nmore: --cursor ${str(b.next_cursor)}` : '';
  return table(m, ['intent', 'phase', 'funds', 'age', 'version'], rows) + more;
}

/** Pending IBC packets: where each is, its intent, and the time left to its timeout (red when under a minute). */
export function ibcPendingView(m: OutputMode, b: Body): string {
  const rows = ((b.packets ?? []) as Body[]).map((p) => {
    const left = typeof p.time_left_secs === 'number' ? p.time_left_secs : null;
    return [
      `${str(p.source_port)}/${str(p.source_channel)}`,
      str(p.sequence),
      str(p.intent_id),
      duration(Number(p.age_secs)),
      left === null
        ? 'by height'
        : paint(m, left < 60 ? 'red' : 'green', left < 0 ? 'timed out' : duration(left)),
    ];
  });
  const more = b.next_cursor ? `\nmore: --cursor ${str(b.next_cursor)}` : '';
  return table(m, ['port/channel', 'sequence', 'intent', 'age', 'timeout in'], rows) + more;
}

/** What is recovering: the intents in recovery, and the control plane's own recovery, if any. */
export function recoveryView(m: OutputMode, b: Body): string {
  const intents = (b.intents ?? {}) as Body;
  const rows = ((intents.items ?? []) as Body[]).map((i) => [
    str(i.id),
    str(i.phase),
    duration(Number(i.age_secs)),
  ]);
  const u = b.upgrade as Body | null;
  const upgrade = u
    ? `upgrade ${str(u.upgrade_id)}: ${stateWord(m, u.state)} at ${str(u.step)} (attempt ${str(u.attempt)})${u.next ? `\nnext: ${str(u.next)}` : ''}`
    : 'no upgrade is recovering';
  const more = intents.next_cursor ? `\nmore: --cursor ${str(intents.next_cursor)}` : '';
  return `${table(m, ['intent in recovery', 'phase', 'age'], rows)}${more}\n\n${upgrade}`;
}

const counts = (c: unknown) =>
  Object.entries((c ?? {}) as Record<string, number>)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

export const checkpointsView = (m: OutputMode, b: Body) =>
  table(
    m,
    ['checkpoint', 'upgrade', 'created', 'version', 'records'],
    ((b.checkpoints ?? []) as Body[]).map((c) => [
      str(c.id),
      str(c.upgrade_id),
      when(c.created_at),
      str(c.protocol_version),
      counts(c.record_counts),
    ]),
  );

export function validationView(m: OutputMode, b: Body): string {
  const v = (b.validation ?? {}) as Body;
  const problems = (v.problems ?? []) as unknown[];
  return fields(m, [
    ['checkpoint', b.id],
    ['records', counts(b.record_counts)],
    [
      'valid',
      v.valid === true ? paint(m, 'green', 'yes: every hash and count checks') : paint(m, 'red', 'NO'),
    ],
    [
      'problems',
      problems.length
        ? problems.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('; ')
        : null,
    ],
  ]);
}

export const schedulesView = (m: OutputMode, b: Body) =>
  table(
    m,
    ['schedule', 'when', 'runs', 'state', 'last run'],
    ((b.schedules ?? []) as Body[]).map((s) => [
      str(s.name),
      str(s.expression),
      s.proposal_id
        ? `proposal ${str(s.proposal_id)}`
        : `upgrade to ${str((s.request as Body | undefined)?.target_version)}`,
      str(s.state),
      s.last_run ? JSON.stringify(s.last_run).slice(0, 60) : '-',
    ]),
  );

export const proposalsView = (m: OutputMode, b: Body) =>
  table(
    m,
    ['proposal', 'state', 'target', 'approvals', 'executable'],
    ((b.proposals ?? []) as Body[]).map((p) => [
      str(p.id),
      stateWord(m, p.state),
      str(p.target_version),
      `${((p.approvals ?? []) as unknown[]).length}/${str(p.required)}`,
      p.seconds_remaining ? `in ${duration(num(p.seconds_remaining))}` : when(p.executable_at),
    ]),
  );

export function proposalView(m: OutputMode, p: Body): string {
  const approvals = ((p.approvals ?? []) as Body[]).map((a) => `${str(a.by)} at ${when(a.at)}`).join(', ');
  return `${fields(m, [
    ['proposal', p.id],
    ['state', stateWord(m, p.state)],
    ['description', p.description],
    ['proposed by', p.proposed_by],
    [
      'approvals',
      `${((p.approvals ?? []) as unknown[]).length} of ${str(p.required)}${approvals ? `: ${approvals}` : ''}`,
    ],
    ['timelock until', p.timelock_until],
    ['executable in', p.seconds_remaining ? duration(num(p.seconds_remaining)) : null],
    ['config_sha256', paint(m, 'bold', str(p.config_sha256))],
  ])}\nconfig:\n${JSON.stringify(p.config, null, 2)}`;
}

/** A one-line answer to an action: the API's message, or what it answered (`upgrade_id: …, continued: true`). */
export const messageView = (m: OutputMode, b: Body) =>
  paint(
    m,
    'green',
    typeof b.message === 'string'
      ? b.message
      : Object.entries(b)
          .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
          .join(', ') || 'done',
  );
