// The inflight count over the last minutes, kept in the page from each poll and drawn as an SVG line.
import { svg } from './dom.js';

const WINDOW_MS = 10 * 60 * 1000;
const W = 260;
const H = 64;
const PAD = 4;

/** Keeps (time, count) readings for the last ten minutes and redraws the chart into `container`. */
export function inflightChart(container) {
  const readings = [];
  return {
    readings,
    add(count, at = Date.now()) {
      readings.push({ at, count });
      while (readings.length > 0 && readings[0].at < at - WINDOW_MS) readings.shift();
      draw(container, readings, at);
    },
  };
}

function draw(container, readings, now) {
  const max = Math.max(1, ...readings.map((r) => r.count));
  const x = (at) => PAD + ((at - (now - WINDOW_MS)) / WINDOW_MS) * (W - 2 * PAD);
  const y = (count) => H - PAD - (count / max) * (H - 2 * PAD - 10);
  const points = readings.map((r) => `${x(r.at).toFixed(1)},${y(r.count).toFixed(1)}`);
  const first = readings[0];
  const area =
    points.length > 1
      ? `M${x(first.at).toFixed(1)},${H - PAD} L${points.join(' L')} L${x(now).toFixed(1)},${H - PAD} Z`
      : '';
  container.replaceChildren(
    svg(
      'svg',
      {
        class: 'chart',
        viewBox: `0 0 ${W} ${H}`,
        role: 'img',
        'aria-label': `inflight count, last 10 minutes: ${readings.length} readings, peak ${max}`,
        'data-points': readings.length,
      },
      svg('line', { class: 'axis', x1: PAD, y1: H - PAD, x2: W - PAD, y2: H - PAD }),
      svg('text', { class: 'axis-label', x: PAD, y: 10, text: `max ${max}` }),
      svg('text', { class: 'axis-label', x: W - PAD, y: 10, 'text-anchor': 'end', text: '10 min' }),
      area ? svg('path', { class: 'area', d: area }) : null,
      points.length > 0 ? svg('polyline', { class: 'line', points: points.join(' ') }) : null,
    ),
  );
}
