// Draws the workflow graph (SVG, from the layout) and colours it from the current upgrade's execution.
import { BOX, layoutAsl } from './asl-graph.js';
import { svg } from './dom.js';

const LINE_CHARS = 28;

/** A state's name on at most two lines of the box. */
function labelLines(name) {
  if (name.length <= LINE_CHARS) return [name];
  const cut = name.lastIndexOf(' ', LINE_CHARS);
  const at = cut > 0 ? cut : LINE_CHARS;
  const rest = name.slice(at).trim();
  return [name.slice(0, at), rest.length > LINE_CHARS ? `${rest.slice(0, LINE_CHARS - 1)}…` : rest];
}

function edgePath(a, b, back) {
  if (a.y === b.y && Math.abs(b.x - a.x) <= a.w + BOX.gapX) {
    const right = b.x > a.x;
    const y = a.y + a.h / 2;
    return `M${right ? a.x + a.w : a.x},${y} L${right ? b.x - 2 : b.x + b.w + 2},${y}`;
  }
  if (a.y === b.y) {
    // Along the same row past other boxes: an arc through the gap below the row.
    const x1 = a.x + a.w / 2;
    const x2 = b.x + b.w / 2;
    const y = a.y + a.h;
    const dip = y + BOX.gapY * 0.9;
    return `M${x1},${y} C${x1},${dip} ${x2},${dip} ${x2},${y + 2}`;
  }
  if (back) {
    const x1 = a.x + a.w;
    const y1 = a.y + a.h / 2;
    const x2 = b.x + b.w;
    const y2 = b.y + b.h / 2;
    const bulge = 18 + Math.min(60, Math.abs(y2 - y1) / 8);
    return `M${x1},${y1} C${x1 + bulge},${y1} ${x2 + bulge},${y2} ${x2 + 4},${y2}`;
  }
  const x1 = a.x + a.w / 2;
  const y1 = a.y + a.h;
  const x2 = b.x + b.w / 2;
  const y2 = b.y - 2;
  const mid = (y1 + y2) / 2;
  return `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`;
}

function arrowMarker(id) {
  return svg(
    'marker',
    {
      id,
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 8,
      markerHeight: 8,
      markerUnits: 'userSpaceOnUse',
      orient: 'auto',
    },
    svg('path', { d: 'M0,0 L10,5 L0,10 z' }),
  );
}

/**
 * The graph of every state in the ASL: boxes named after the states (Choices rounded, the rollback path in
 * its own columns on the right), Catch edges dashed. Returns the SVG and an `update(execution)` that colours it.
 */
export function drawGraph(asl) {
  const layout = layoutAsl(asl);
  const byName = new Map(layout.nodes.map((n) => [n.name, n]));
  const root = svg('svg', {
    id: 'workflow-graph',
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    width: layout.width,
    height: layout.height,
    role: 'img',
    'aria-label': `workflow graph: ${layout.nodes.length} states`,
  });
  const markers = ['arrow', 'arrow-catch', 'arrow-taken', 'arrow-rollback'].map((id) => arrowMarker(id));
  root.append(
    svg('defs', {}, markers),
    svg('rect', {
      class: 'rollback-lane',
      x: layout.forwardWidth + 16,
      y: 0,
      width: layout.width - layout.forwardWidth - 16,
      height: layout.height,
    }),
    svg('text', {
      class: 'lane-label',
      x: layout.width - 8,
      y: 12,
      'text-anchor': 'end',
      text: 'rollback path',
    }),
  );
  const edgeEls = new Map();
  for (const e of layout.edges) {
    const a = byName.get(e.from);
    const b = byName.get(e.to);
    const classes = ['edge', e.kind, b.rollback ? 'to-rollback' : ''].join(' ').trim();
    const marker = e.kind === 'catch' ? 'arrow-catch' : 'arrow';
    const path = svg('path', {
      class: classes,
      d: edgePath(a, b, e.back),
      'marker-end': `url(#${marker})`,
      'data-from': e.from,
      'data-to': e.to,
    });
    // Next and Catch to the same state: the Next edge is the one marked taken.
    if (!edgeEls.has(`${e.from}\n${e.to}`)) edgeEls.set(`${e.from}\n${e.to}`, path);
    root.append(path);
  }
  const nodeEls = new Map();
  for (const n of layout.nodes) {
    const lines = labelLines(n.name);
    const g = svg(
      'g',
      {
        class: `state ${n.type.toLowerCase()}${n.rollback ? ' rollback' : ''}`,
        'data-state': n.name,
        'data-status': 'idle',
        transform: `translate(${n.x},${n.y})`,
      },
      svg('title', { text: `${n.name} (${n.type})` }),
      svg('rect', { width: n.w, height: n.h, rx: n.type === 'Choice' ? n.h / 2 : 5 }),
      svg(
        'text',
        { class: 'label', x: n.w / 2, y: n.h / 2 + (lines.length === 1 ? 4 : -2), 'text-anchor': 'middle' },
        lines.map((line, i) => svg('tspan', { x: n.w / 2, dy: i === 0 ? 0 : 12, text: line })),
      ),
      svg('text', { class: 'tick', x: n.w - 6, y: 12, 'text-anchor': 'end', text: '✓' }),
      svg('text', { class: 'cross', x: n.w - 6, y: 12, 'text-anchor': 'end', text: '✗' }),
    );
    nodeEls.set(n.name, g);
    root.append(g);
  }
  return { element: root, layout, update: (execution) => colour(execution, asl, nodeEls, edgeEls) };
}

/** Each state's status on the graph: idle, done (ticked), current (highlighted), failed (red). */
function stateStatuses(execution, asl) {
  const out = new Map();
  if (!execution) return out;
  const ended = execution.status !== 'RUNNING';
  for (const [name, s] of Object.entries(execution.states)) {
    let status = s.outcome === 'failed' ? 'failed' : s.outcome === 'exited' ? 'done' : 'current';
    if (name === execution.current && ended) {
      const type = asl.States[name]?.Type;
      const bad = type === 'Fail' || (type !== 'Succeed' && execution.status !== 'SUCCEEDED');
      status = bad ? 'failed' : 'done';
    } else if (status === 'current' && name !== execution.current) status = 'done';
    out.set(name, status);
  }
  return out;
}

/** Sets each box's status and the highlight, and marks the transitions taken. */
function colour(execution, asl, nodeEls, edgeEls) {
  const statuses = stateStatuses(execution, asl);
  for (const [name, g] of nodeEls) {
    g.setAttribute('data-status', statuses.get(name) ?? 'idle');
    g.setAttribute('data-current', String(execution?.current === name));
  }
  const taken = new Set((execution?.transitions ?? []).map((t) => `${t.from}\n${t.to}`));
  for (const [key, path] of edgeEls) {
    const on = taken.has(key);
    path.classList.toggle('taken', on);
    const catchEdge = path.classList.contains('catch');
    let marker = catchEdge ? 'arrow-catch' : 'arrow';
    if (on) marker = catchEdge || path.classList.contains('to-rollback') ? 'arrow-rollback' : 'arrow-taken';
    path.setAttribute('marker-end', `url(#${marker})`);
  }
}
