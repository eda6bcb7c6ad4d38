// The current upgrade: its status line, the abort and continue actions, the graph's colours, the step timeline.
import { refreshActions, runAction } from './actions.js';
import { changed, fill, formatSecs, formatTime, h } from './dom.js';

const $ = (id) => document.getElementById(id);
const LIVE = new Set(['running', 'baking']);

/** Wires the panel's action buttons to the admin API (each asks first). */
export function initUpgradeActions(current) {
  $('abort').addEventListener('click', () =>
    runAction({
      label: 'Abort',
      method: 'POST',
      path: '/admin/upgrade/abort',
      question: `Abort upgrade ${current().upgrade_id}? It stops at the next safe point and the old version resumes.`,
    }),
  );
  $('continue').addEventListener('click', () => {
    const id = current().upgrade_id;
    runAction({
      label: 'Continue',
      method: 'POST',
      path: `/admin/upgrade/${encodeURIComponent(id)}/continue`,
      question: `Continue upgrade ${id}? Confirm only once the backend runs the target version.`,
    });
  });
}

/** Renders the status answer of GET /admin/upgrade/status (`state: "none"` before any upgrade). */
export function renderUpgradeStatus(answer, execution) {
  const s = answer.status === 200 && answer.body.state !== 'none' ? answer.body : null;
  const state = s?.state ?? 'none';
  const badge = $('upgrade-state');
  badge.textContent = state;
  badge.dataset.state = state;
  $('upgrade-id').textContent = s ? s.upgrade_id : 'no upgrade has run yet';
  $('upgrade-versions').textContent = s ? `${s.from_version} → ${s.target_version}` : '';
  $('upgrade-step').textContent = s?.current_step ?? '—';
  $('upgrade-progress').textContent = s ? `${s.progress_pct ?? 0}%` : '—';
  $('upgrade-next').textContent = s?.next ?? '';
  $('upgrade-error').textContent = s?.error ?? '';
  const bake = s?.bake;
  $('upgrade-bake').textContent = bake
    ? `bake ${bake.state}${bake.state === 'baking' ? `, ${formatSecs(bake.seconds_left)} left` : ''}` +
      (bake.trigger ? ` (tripped by ${bake.trigger})` : '')
    : '';
  renderComponents(s?.components ?? []);
  const live = LIVE.has(state);
  $('abort').dataset.ready = String(live && !s?.abort_requested);
  const waiting = execution?.status === 'RUNNING' && execution.current === 'Wait for operator deploy';
  $('continue').dataset.ready = String(live && waiting);
  refreshActions();
}

const COMPONENT_MARK = {
  pending: '·',
  current: '▶',
  done: '✓',
  rolling_back: '↩',
  rolled_back: '↩',
  rollback_failed: '✗',
};

/**
 * The contracts and services the upgrade changes, in its order, above the workflow's graph: the graph's iterator
 * states run once per component, and this strip says which one (done, current, pending, rolled back).
 */
function renderComponents(components) {
  if (!changed('components', components)) return;
  fill(
    $('components'),
    components.map((c) =>
      h(
        'li',
        {
          class: 'component-chip',
          'data-component': c.name,
          'data-kind': c.kind,
          'data-state': c.state,
          title: c.detail,
        },
        h('span', { class: 'chip-mark' }, COMPONENT_MARK[c.state] ?? '·'),
        h('strong', {}, c.name),
        h('span', { class: 'sub' }, ` ${c.kind}: ${c.detail}`),
      ),
    ),
  );
}

/** The steps of the upgrade with when each started (from the upgrade's start) and how long it took. */
export function renderTimeline(record, steps, now = Date.now()) {
  if (
    !changed('timeline', { id: record?.id, steps, tick: steps?.some((x) => x.ended_at === null) ? now : 0 })
  )
    return;
  const list = $('timeline');
  if (!record) return fill(list, h('li', { class: 'empty', text: 'no upgrade yet' }));
  const t0 = record.started_at;
  fill(
    list,
    steps.map((step) => {
      const end = step.ended_at ?? now;
      const secs = (end - step.started_at) / 1000;
      return h(
        'li',
        { class: `step ${step.outcome}`, 'data-step': step.name, 'data-outcome': step.outcome },
        h('span', {
          class: 'mark',
          text: step.outcome === 'succeeded' ? '✓' : step.outcome === 'failed' ? '✗' : '…',
        }),
        h('span', { class: 'name', text: step.name }),
        h('span', { class: 'at', text: `+${formatSecs((step.started_at - t0) / 1000)}` }),
        h('span', {
          class: 'duration',
          text:
            step.ended_at === null
              ? `running ${formatSecs(secs)}`
              : secs < 1
                ? `${Math.round(secs * 1000)} ms`
                : formatSecs(secs),
        }),
        step.cause ? h('div', { class: 'cause', text: step.cause }) : null,
      );
    }),
  );
  const finished = record.finished_at ? ` · finished ${formatTime(record.finished_at)}` : '';
  $('timeline-head').textContent = `started ${formatTime(t0)}${finished}`;
}

/** Colours the graph and, if asked to follow, scrolls its box to the highlighted state. */
export function renderGraph(graph, execution) {
  if (!graph) return;
  graph.update(execution);
  $('graph-outcome').textContent = execution ? execution.status.toLowerCase() : '';
  $('graph-outcome').dataset.state = execution ? execution.status.toLowerCase() : 'none';
  const node = graph.layout.nodes.find((n) => n.name === execution?.current);
  const box = $('graph-box');
  if (node && $('follow').checked && changed('follow', execution.current)) {
    box.scrollTo({
      top: Math.max(0, node.y + node.h / 2 - box.clientHeight / 2),
      left: Math.max(0, node.x + node.w / 2 - box.clientWidth / 2),
    });
  }
}
