// The upgrade history (GET /admin/upgrades): newest first, with outcome, duration, checkpoint and error.
import { changed, fill, formatSecs, formatTime, h } from './dom.js';

/** Renders the history table from the list answer. */
export function renderHistory(answer) {
  if (!changed('history', answer)) return;
  const body = document.getElementById('history-rows');
  const upgrades = answer.status === 200 ? (answer.body.upgrades ?? []) : [];
  if (upgrades.length === 0) {
    const text =
      answer.status === 200 ? 'no upgrades yet' : (answer.body.message ?? `status ${answer.status}`);
    return fill(body, h('tr', {}, h('td', { colspan: 7, class: 'empty', text })));
  }
  fill(
    body,
    upgrades.map((u) => {
      const secs = u.finished ? (Date.parse(u.finished) - Date.parse(u.started)) / 1000 : null;
      return h(
        'tr',
        { 'data-upgrade': u.id, 'data-outcome': u.outcome ?? 'running' },
        h('td', { class: 'id', text: u.id }),
        h('td', { text: `${u.from} → ${u.to}` }),
        h('td', { text: formatTime(u.started) }),
        h('td', { class: 'num', text: secs === null ? 'running' : formatSecs(secs) }),
        h(
          'td',
          {},
          h('span', { class: 'badge', 'data-state': u.outcome ?? 'running', text: u.outcome ?? 'running' }),
        ),
        h('td', { class: 'id', text: u.checkpoint_id ?? '—' }),
        h('td', { class: 'error', text: u.error ?? '' }),
      );
    }),
  );
}
