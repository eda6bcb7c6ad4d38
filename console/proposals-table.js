// Proposals (GET /admin/proposals) with their approvals, a live timelock countdown, and the approve action.
import { refreshActions, runAction } from './actions.js';
import { changed, fill, formatSecs, formatTime, h } from './dom.js';

const APPROVABLE = new Set(['pending', 'timelocked']);

/** Text of a countdown to `until` (ISO time): what is left, or that it has passed. */
function countdownText(until, now = Date.now()) {
  const left = (Date.parse(until) - now) / 1000;
  return left > 0 ? `executable in ${formatSecs(left)}` : 'timelock over';
}

/** Updates every countdown on the page (called each second). */
export function tickCountdowns() {
  for (const el of document.querySelectorAll('[data-until]'))
    el.textContent = countdownText(el.dataset.until);
}

function timelockCell(p) {
  if (p.state === 'timelocked' && p.timelock_until) {
    return h(
      'td',
      {},
      h('span', {
        class: 'countdown',
        'data-until': p.timelock_until,
        text: countdownText(p.timelock_until),
      }),
    );
  }
  if (p.state === 'executable') return h('td', { text: 'executable now' });
  return h('td', { text: p.timelock_until ? `until ${formatTime(p.timelock_until)}` : '—' });
}

/** Renders the proposals; approve posts the proposal's own config_sha256, after a confirmation. */
export function renderProposals(answer) {
  if (!changed('proposals', answer)) return;
  const body = document.getElementById('proposal-rows');
  const list = answer.status === 200 ? (answer.body.proposals ?? []) : [];
  if (list.length === 0) {
    return fill(body, h('tr', {}, h('td', { colspan: 7, class: 'empty', text: 'no proposals' })));
  }
  fill(
    body,
    list.map((p) => {
      const approvals = p.approvals ?? [];
      const approve = h('button', {
        type: 'button',
        class: 'action approve',
        text: 'Approve',
        disabled: true,
        'data-ready': String(APPROVABLE.has(p.state)),
        onclick: () =>
          runAction({
            label: 'Approve',
            method: 'POST',
            path: `/admin/proposals/${encodeURIComponent(p.id)}/approve`,
            body: { config_sha256: p.config_sha256 },
            question: `Approve ${p.id} (upgrade to ${p.config?.target_version ?? '?'})? You approve exactly the config with SHA-256 ${p.config_sha256}.`,
          }),
      });
      return h(
        'tr',
        { 'data-proposal': p.id, 'data-state': p.state },
        h('td', { class: 'id', text: p.id }),
        h('td', {
          text: `${p.description ?? ''} (to ${p.config?.target_version ?? '?'}, by ${p.proposed_by})`,
        }),
        h('td', {}, h('span', { class: 'badge', 'data-state': p.state, text: p.state })),
        h(
          'td',
          { class: 'approvals' },
          `${approvals.length}/${p.required ?? '?'}`,
          approvals.length ? ` (${approvals.map((a) => a.by).join(', ')})` : '',
        ),
        timelockCell(p),
        h('td', {
          class: 'sha',
          title: p.config_sha256,
          text: `${String(p.config_sha256 ?? '').slice(0, 12)}…`,
        }),
        h('td', {}, approve),
      );
    }),
  );
  refreshActions();
}
