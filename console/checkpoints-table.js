// Checkpoints within retention (GET /admin/checkpoints), each with a button that revalidates it (a read).
import { adminRead } from './api.js';
import { changed, fill, formatTime, h } from './dom.js';

async function validate(id, cell) {
  fill(cell, h('span', { class: 'pending', text: 'validating…' }));
  const answer = await adminRead(`/admin/checkpoints/${encodeURIComponent(id)}?validate=true`);
  const v = answer.body.validation;
  cell.dataset.valid = String(Boolean(v?.valid));
  if (answer.status !== 200 || !v) {
    return fill(
      cell,
      h('span', { class: 'bad', text: `${answer.status}: ${answer.body.message ?? 'failed'}` }),
    );
  }
  const parts = v.manifest?.parts?.length ?? 0;
  fill(
    cell,
    v.valid
      ? h('span', { class: 'good', text: `valid ✓ (${parts} parts, every hash and count checked)` })
      : h('span', { class: 'bad', text: `invalid ✗ ${v.problems.join('; ')}` }),
  );
}

/** Renders the checkpoints; validate calls GET /admin/checkpoints/{id}?validate=true through the read endpoint. */
export function renderCheckpoints(answer) {
  if (!changed('checkpoints', answer)) return;
  const body = document.getElementById('checkpoint-rows');
  const list = answer.status === 200 ? (answer.body.checkpoints ?? []) : [];
  if (list.length === 0) {
    return fill(body, h('tr', {}, h('td', { colspan: 6, class: 'empty', text: 'no checkpoints' })));
  }
  fill(
    body,
    list.map((c) => {
      const result = h('td', { class: 'validation' });
      const counts = Object.entries(c.record_counts ?? {})
        .map(([k, n]) => `${k} ${n}`)
        .join(', ');
      return h(
        'tr',
        { 'data-checkpoint': c.id },
        h('td', { class: 'id', text: c.id }),
        h('td', { class: 'id', text: c.upgrade_id }),
        h('td', { text: c.protocol_version }),
        h('td', { text: formatTime(c.created_at) }),
        h('td', { text: counts }),
        h(
          'td',
          {},
          h('button', {
            type: 'button',
            class: 'read validate',
            text: 'Validate',
            onclick: () => validate(c.id, result),
          }),
        ),
        result,
      );
    }),
  );
}
