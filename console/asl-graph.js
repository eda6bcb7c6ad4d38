// Lays out the workflow's states from its ASL: layers by BFS depth from StartAt, each state under its parents.

/** Box size and spacing of a state on the graph, in SVG units. */
export const BOX = { w: 176, h: 34, gapX: 16, gapY: 24, margin: 12, lane: 40 };

/** A state's way out: Next, a Choice rule, its Default, or a Catch (the failure path). */
export function exitsOf(state) {
  const out = [];
  if (state.Next) out.push({ to: state.Next, kind: 'next' });
  for (const rule of state.Choices ?? []) out.push({ to: rule.Next, kind: 'choice' });
  if (state.Default) out.push({ to: state.Default, kind: 'default' });
  for (const c of state.Catch ?? []) out.push({ to: c.Next, kind: 'catch' });
  return out;
}

const ROLLBACK_NAME = /roll(ing)? ?back|revers/i;

/**
 * The rollback path: states reached only through a Catch, or through a state whose name says it rolls back or
 * reverses (and everything only reachable past those).
 */
export function rollbackStates(asl) {
  const forward = new Set([asl.StartAt]);
  const queue = [asl.StartAt];
  while (queue.length > 0) {
    const name = queue.shift();
    for (const exit of exitsOf(asl.States[name])) {
      if (exit.kind === 'catch' || ROLLBACK_NAME.test(exit.to) || forward.has(exit.to)) continue;
      forward.add(exit.to);
      queue.push(exit.to);
    }
  }
  return new Set(Object.keys(asl.States).filter((n) => !forward.has(n)));
}

/** BFS depth of every state from StartAt over all exits; a state nothing reaches goes below the rest. */
function depths(asl) {
  const depth = new Map([[asl.StartAt, 0]]);
  const queue = [asl.StartAt];
  while (queue.length > 0) {
    const name = queue.shift();
    for (const exit of exitsOf(asl.States[name])) {
      if (depth.has(exit.to) || !asl.States[exit.to]) continue;
      depth.set(exit.to, depth.get(name) + 1);
      queue.push(exit.to);
    }
  }
  const deepest = Math.max(...depth.values());
  for (const name of Object.keys(asl.States)) if (!depth.has(name)) depth.set(name, deepest + 1);
  return depth;
}

/**
 * The spine drawn straight down the first column: from StartAt, each time the forward exit one row down whose
 * states reach the deepest row (Next and Default before Choice rules on a tie).
 */
function spineOf(asl, depth, edges, rollback) {
  const reach = new Map();
  const deepest = (name) => {
    if (!reach.has(name)) {
      reach.set(name, depth.get(name));
      const down = edges.filter((e) => e.from === name && !e.back && !rollback.has(e.to));
      reach.set(name, Math.max(depth.get(name), ...down.map((e) => deepest(e.to))));
    }
    return reach.get(name);
  };
  const rank = { next: 0, default: 0, choice: 1, catch: 2 };
  const spine = new Set([asl.StartAt]);
  for (let at = asl.StartAt; ; ) {
    const down = edges
      .filter((e) => e.from === at && !e.back && !rollback.has(e.to) && depth.get(e.to) === depth.get(at) + 1)
      .sort((a, b) => deepest(b.to) - deepest(a.to) || rank[a.kind] - rank[b.kind]);
    if (down.length === 0) return spine;
    at = down[0].to;
    spine.add(at);
  }
}

/**
 * Places every state: one row per BFS depth; in a row, each state in the column its parents' columns average
 * to (or the next free one), the forward path in the left columns, the rollback path in the columns right of it.
 * Returns the boxes, the edges (a back edge goes to a row at or above its source) and the drawing's size.
 */
export function layoutAsl(asl) {
  const names = Object.keys(asl.States);
  const depth = depths(asl);
  const rollback = rollbackStates(asl);
  const parents = new Map(names.map((n) => [n, []]));
  const edges = [];
  for (const from of names) {
    for (const exit of exitsOf(asl.States[from])) {
      if (!asl.States[exit.to]) continue;
      const back = depth.get(exit.to) <= depth.get(from);
      edges.push({ from, to: exit.to, kind: exit.kind, back });
      if (!back) parents.get(exit.to).push(from);
    }
  }
  const rows = Math.max(...depth.values()) + 1;
  const spine = spineOf(asl, depth, edges, rollback);
  const column = new Map();
  const place = (group, firstColumn) => {
    let widest = firstColumn;
    for (let row = 0; row < rows; row++) {
      const inRow = names.filter((n) => depth.get(n) === row && group(n));
      const wanted = (n) => {
        if (spine.has(n)) return -1;
        const cols = parents
          .get(n)
          .filter((p) => column.has(p))
          .map((p) => column.get(p));
        const avg = cols.length ? cols.reduce((a, b) => a + b, 0) / cols.length : firstColumn;
        return Math.max(firstColumn, Math.round(avg));
      };
      inRow.sort((a, b) => wanted(a) - wanted(b) || names.indexOf(a) - names.indexOf(b));
      let next = firstColumn;
      for (const n of inRow) {
        const col = Math.max(wanted(n), next, firstColumn);
        column.set(n, col);
        next = col + 1;
        widest = Math.max(widest, next);
      }
    }
    return widest;
  };
  const forwardWidth = place((n) => !rollback.has(n), 0);
  const width = place((n) => rollback.has(n), forwardWidth);
  const x = (col) => BOX.margin + col * (BOX.w + BOX.gapX) + (col >= forwardWidth ? BOX.lane : 0);
  const nodes = names.map((name) => ({
    name,
    type: asl.States[name].Type,
    rollback: rollback.has(name),
    x: x(column.get(name)),
    y: BOX.margin + depth.get(name) * (BOX.h + BOX.gapY),
    w: BOX.w,
    h: BOX.h,
  }));
  return {
    nodes,
    edges,
    forwardWidth: x(forwardWidth) - BOX.gapX,
    width: x(width) + BOX.lane,
    height: BOX.margin * 2 + rows * (BOX.h + BOX.gapY),
  };
}
