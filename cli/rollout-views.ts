import { fields, type OutputMode, paint, stateColour, table } from './output.ts';

/** Renders of protocol rollouts for people (--json prints the API's answers themselves). */
type Body = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? '-' : String(v));
const when = (v: unknown) => (typeof v === 'string' ? v.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');
const phaseWord = (m: OutputMode, r: Body) =>
  `${paint(m, stateColour(str(r.phase)), str(r.phase))}${r.held ? paint(m, 'yellow', ' (held)') : ''}`;

export const rolloutsView = (m: OutputMode, b: Body) =>
  table(
    m,
    ['rollout', 'from', 'to', 'phase', 'next'],
    ((b.rollouts ?? []) as Body[]).map((r) => [
      str(r.id),
      str(r.from),
      str(r.to),
      phaseWord(m, r),
      str(r.next),
    ]),
  );

export function rolloutView(m: OutputMode, r: Body): string {
  const times = (r.times ?? {}) as Body;
  const c = r.conversion as Body | null;
  const history = ((r.history ?? []) as Body[])
    .map((h) => `  ${when(new Date(Number(h.at)).toISOString())}  ${str(h.phase)}  by ${str(h.by)}`)
    .join('\n');
  return `${fields(m, [
    ['rollout', r.id],
    ['protocol', `${str(r.from)} -> ${str(r.to)}`],
    ['phase', phaseWord(m, r)],
    ['next', r.next],
    ['phase ends', when(times.phase_due)],
    ['sunset', when(times.sunset)],
    [
      'conversion',
      c
        ? `${str(c.from)} -> ${str(c.to)}: ${str(c.converted)} converted, ${str(c.retried)} redone after a concurrent write, pass ${Number(c.passes ?? 0) + 1}${c.done ? ', done' : ''}`
        : null,
    ],
    ['reason', r.reason],
  ])}\nhistory:\n${history}`;
}
