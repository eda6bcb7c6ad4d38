/** How the CLI prints: tables and colours on a terminal, plain text when piped, the API's JSON with --json. */
export type OutputMode = 'tty' | 'plain' | 'json';

export function outputMode(json: boolean, stream: NodeJS.WriteStream = process.stdout): OutputMode {
  if (json) return 'json';
  return stream.isTTY && !process.env.NO_COLOR ? 'tty' : 'plain';
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, bold: 1, dim: 2, inverse: 7 } as const;
export type Colour = keyof typeof CODES;

/** Paints `text` on a terminal; plain text otherwise. */
export const paint = (mode: OutputMode, colour: Colour, text: string): string =>
  mode === 'tty' ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;

const ESC = String.fromCharCode(27);
const ANSI = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');
/** The text without its colour codes (what the operator reads). */
export const stripAnsi = (s: string) => s.replace(ANSI, '');

/** A table with a header row; columns as wide as their widest cell. */
export function table(
  mode: OutputMode,
  head: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  if (!rows.length) return paint(mode, 'dim', '(none)');
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => stripAnsi(r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - stripAnsi(c).length)))
      .join('  ')
      .trimEnd();
  return [paint(mode, 'bold', line(head)), ...rows.map(line)].join('\n');
}

/** "key: value" lines, keys aligned; null and undefined values left out. */
export function fields(mode: OutputMode, pairs: readonly (readonly [string, unknown])[]): string {
  const shown = pairs.filter(([, v]) => v !== null && v !== undefined && v !== '');
  const width = Math.max(0, ...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${paint(mode, 'dim', `${k}:`.padEnd(width + 1))} ${String(v)}`).join('\n');
}

/** Seconds as "1h 02m", "3m 05s" or "12s". */
export function duration(secs: number | null | undefined): string {
  if (secs === null || secs === undefined || !Number.isFinite(secs)) return '-';
  const s = Math.max(0, Math.round(secs));
  if (s >= 3600) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${s}s`;
}

/** A progress bar `width` cells wide for `done` of `total`. */
export function bar(done: number, total: number, width = 24): string {
  const f = total > 0 ? Math.min(1, Math.max(0, done / total)) : 1;
  const n = Math.round(f * width);
  return `[${'#'.repeat(n)}${'-'.repeat(width - n)}] ${Math.round(f * 100)}%`;
}

/** Colour of a state word: green when it went well, red when not, yellow while under way. */
export function stateColour(state: string): Colour {
  if (['succeeded', 'Active', 'passed', 'executed', 'dry_run', 'ok', 'executable'].includes(state))
    return 'green';
  if (
    [
      'failed',
      'rolled_back',
      'aborted',
      'needs_operator',
      'refused',
      'tripped',
      'rejected',
      'expired',
    ].includes(state)
  )
    return 'red';
  return 'yellow';
}
