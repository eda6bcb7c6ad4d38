// The inflight intents, 50 a page (GET /admin/inflight?limit=50&cursor=...): usable with thousands inflight.
import { adminRead } from './api.js';
import { changed, fill, formatSecs, h } from './dom.js';

const PAGE = 50;
const $ = (id) => document.getElementById(id);

/** A pager over the inflight list: the cursors of the pages seen so far, so Previous goes back exactly. */
export function inflightList() {
  const cursors = [null];
  let page = 0;
  let nextCursor = null;
  const load = async () => {
    const cursor = cursors[page];
    const query = `limit=${PAGE}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer = await adminRead(`/admin/inflight?${query}`);
    nextCursor = answer.status === 200 ? (answer.body.next_cursor ?? null) : null;
    render(answer, page);
    $('inflight-prev').disabled = page === 0;
    $('inflight-next').disabled = !nextCursor;
  };
  $('inflight-next').addEventListener('click', () => {
    if (!nextCursor) return;
    cursors[page + 1] = nextCursor;
    page += 1;
    void load();
  });
  $('inflight-prev').addEventListener('click', () => {
    if (page === 0) return;
    page -= 1;
    void load();
  });
  return { load };
}

function render(answer, page) {
  if (!changed('inflight', { answer, page })) return;
  const rows = $('inflight-rows');
  if (answer.status !== 200) {
    return fill(
      rows,
      h(
        'tr',
        {},
        h('td', { colspan: 6, class: 'empty', text: answer.body.message ?? `status ${answer.status}` }),
      ),
    );
  }
  const { intents, count } = answer.body;
  const first = page * PAGE + 1;
  $('inflight-page').textContent =
    intents.length === 0 ? `0 of ${count}` : `${first}–${first + intents.length - 1} of ${count}`;
  $('inflight-page').dataset.page = String(page + 1);
  if (intents.length === 0)
    return fill(rows, h('tr', {}, h('td', { colspan: 6, class: 'empty', text: 'none inflight' })));
  const yes = (b) => (b ? 'yes' : '');
  fill(
    rows,
    intents.map((i) =>
      h(
        'tr',
        { 'data-intent': i.id },
        h('td', { class: 'id', text: i.id }),
        h('td', { text: i.phase }),
        h('td', {
          text: [i.user_funds_locked && 'user', i.solver_funds_locked && 'solver'].filter(Boolean).join(', '),
        }),
        h('td', { text: yes(i.ibc_in_flight) }),
        h('td', { text: i.protocol_version }),
        h('td', { class: 'num', text: formatSecs(i.age_secs) }),
      ),
    ),
  );
}
