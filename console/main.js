// The console page: draws the workflow from its ASL once, then polls the snapshot and redraws what changed.
import { initTokenForm } from './actions.js';
import { readSnapshot } from './api.js';
import { renderCheckpoints } from './checkpoints-table.js';
import { formatTime } from './dom.js';
import { renderDrain } from './drain-panel.js';
import { drawGraph } from './graph-view.js';
import { renderHistory } from './history-table.js';
import { inflightChart } from './inflight-chart.js';
import { inflightList } from './inflight-list.js';
import { renderProposals, tickCountdowns } from './proposals-table.js';
import { renderRollouts } from './rollouts-table.js';
import { initUpgradeActions, renderGraph, renderTimeline, renderUpgradeStatus } from './upgrade-panel.js';

const POLL_MS = 1000;
const $ = (id) => document.getElementById(id);

const chart = inflightChart($('inflight-chart'));
const inflight = inflightList();
let graph = null;
let status = {};
let timer = null;

async function loadGraph() {
  const response = await fetch('/console/asl.json', { cache: 'no-store' });
  graph = drawGraph(await response.json());
  $('graph-box').replaceChildren(graph.element);
  $('graph-box').dataset.states = String(graph.layout.nodes.length);
}

function render(snap) {
  renderDrain(snap.drain, chart);
  status = snap.upgrade_status.status === 200 ? snap.upgrade_status.body : {};
  const execution = snap.upgrade?.execution ?? null;
  renderUpgradeStatus(snap.upgrade_status, execution);
  renderGraph(graph, execution);
  renderTimeline(snap.upgrade?.record ?? null, snap.upgrade?.steps ?? []);
  renderHistory(snap.upgrades);
  renderProposals(snap.proposals);
  renderRollouts(snap.rollouts);
  renderCheckpoints(snap.checkpoints);
}

/** One poll: the snapshot and the inflight page shown; the next poll is scheduled whatever happens. */
async function poll() {
  clearTimeout(timer);
  try {
    const [snap] = await Promise.all([readSnapshot(), inflight.load()]);
    if (snap.status !== 200) throw new Error(snap.body.message ?? `status ${snap.status}`);
    render(snap.body);
    $('poll').textContent = `updated ${formatTime(snap.body.at)}`;
    $('poll').dataset.ok = 'true';
  } catch (err) {
    $('poll').textContent = `cannot read the local server: ${err.message}`;
    $('poll').dataset.ok = 'false';
  } finally {
    timer = setTimeout(poll, POLL_MS);
  }
}

initTokenForm(() => void poll());
initUpgradeActions(() => status);
setInterval(tickCountdowns, 1000);
loadGraph()
  .catch((err) => {
    $('graph-box').textContent = `cannot load the workflow's ASL: ${err.message}`;
  })
  .finally(() => void poll());
