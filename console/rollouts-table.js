// Protocol rollouts (GET /admin/protocol/rollouts): phase, hold, what happens next, and the conversion's progress.
import { changed, fill, h } from './dom.js';

/** Renders the rollouts table from the list answer. */
export function renderRollouts(answer) {
  if (!changed('rollouts', answer)) return;
  const body = document.getElementById('rollout-rows');
  const rollouts = answer.status === 200 ? (answer.body.rollouts ?? []) : [];
  if (rollouts.length === 0) {
    const text =
      answer.status === 200 ? 'no protocol rollouts' : (answer.body.message ?? `status ${answer.status}`);
    return fill(body, h('tr', {}, h('td', { colspan: 5, class: 'empty', text })));
  }
  fill(
    body,
    rollouts.map((r) => {
      const phase = r.held ? `${r.phase} (held)` : r.phase;
      const c = r.conversion;
      const progress = c ? `${c.converted} converted${c.done ? ', done' : ''}` : '—';
      return h(
        'tr',
        { 'data-rollout': r.id, 'data-phase': r.phase },
        h('td', { class: 'id', text: r.id }),
        h('td', { text: `${r.from} → ${r.to}` }),
        h('td', {}, h('span', { class: 'badge', 'data-state': r.phase, text: phase })),
        h('td', { text: r.next }),
        h('td', { class: 'num', text: progress }),
      );
    }),
  );
}
