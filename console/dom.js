// Small DOM helpers and formatters shared by the console's views.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(node, attrs, children) {
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'text') node.textContent = String(value);
    else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An HTML element: `h('td', {class: 'num', text: 5})`, children after the attributes. */
export const h = (tag, attrs, ...children) => build(document.createElement(tag), attrs, children);

/** An SVG element, the same way. */
export const svg = (tag, attrs, ...children) => build(document.createElementNS(SVG_NS, tag), attrs, children);

/** Seconds as the operator reads them: "45 s", "2 min 05 s", "1 h 02 min"; "—" for none. */
export function formatSecs(secs) {
  if (secs === null || secs === undefined || Number.isNaN(secs)) return '—';
  const s = Math.max(0, Math.round(secs));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A time (ISO string or epoch ms) as local hh:mm:ss, with the date when it is not today. */
export function formatTime(value) {
  if (value === null || value === undefined) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const time = d.toLocaleTimeString([], { hour12: false });
  return d.toDateString() === new Date().toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}

const last = new Map();

/** True when `value` differs from what was last rendered under `key` (so a table is rebuilt only on change). */
export function changed(key, value) {
  const text = JSON.stringify(value);
  if (last.get(key) === text) return false;
  last.set(key, text);
  return true;
}

/** Replaces an element's children. */
export function fill(parent, ...children) {
  parent.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
}

/** The message of an API answer: its `message`, else its error code, else the start of its JSON body. */
export function messageOf(answer) {
  const body = answer.body ?? {};
  if (body.message || body.error) return body.message ?? body.error;
  const json = JSON.stringify(body);
  return json === '{}' ? (answer.statusText ?? '') : json.length > 240 ? `${json.slice(0, 240)}…` : json;
}
