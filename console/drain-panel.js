// The drain: mode badge, version, inflight count with its chart, oldest inflight age, intents holding funds.
import { formatSecs, formatTime } from './dom.js';

const $ = (id) => document.getElementById(id);

/** Renders GET /admin/drain/status's answer and adds its inflight count to the chart. */
export function renderDrain(answer, chart) {
  if (answer.status !== 200) {
    $('mode').textContent = 'unknown';
    $('mode').dataset.mode = 'unknown';
    $('drain-reason').textContent = answer.body?.message ?? `status ${answer.status}`;
    return;
  }
  const d = answer.body;
  $('mode').textContent = d.mode;
  $('mode').dataset.mode = d.mode;
  $('version').textContent = d.target_version ? `${d.version} → ${d.target_version}` : d.version;
  $('admitting').textContent = d.admitting ? 'admitting new intents' : 'not admitting new intents (503)';
  $('inflight-count').textContent = String(d.inflight_count);
  $('oldest-age').textContent = formatSecs(d.oldest_inflight_age_secs);
  $('locked-funds').textContent = String(d.inflight_with_locked_funds);
  $('locked-funds').dataset.nonzero = String(d.inflight_with_locked_funds > 0);
  $('drain-reason').textContent = d.reason
    ? `${d.reason}${d.deadline ? ` · deadline ${formatTime(d.deadline)}` : ''}${d.forced ? ' · forced' : ''}`
    : '';
  chart.add(d.inflight_count);
}
