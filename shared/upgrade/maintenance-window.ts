import { ValidationError } from '../domain/errors.ts';

/** A weekly window in UTC when upgrades may start, e.g. "Sat 02:00-06:00" (end may pass midnight: "Sun 23:00-01:00"). */
export interface MaintenanceWindow {
  readonly day: number; // 0 = Sunday
  readonly startMin: number;
  readonly endMin: number; // minutes after the start day's midnight; may exceed 1440
  readonly text: string;
}

const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** Parses MAINTENANCE_WINDOWS ("Sat 02:00-06:00, Wed 22:00-23:30"); empty means any time. */
export function parseWindows(text: string | undefined): MaintenanceWindow[] {
  if (!text?.trim()) return [];
  return text.split(',').map((part) => {
    const m = /^\s*(sun|mon|tue|wed|thu|fri|sat)\w*\s+(\d{2}):(\d{2})-(\d{2}):(\d{2})\s*$/i.exec(part);
    if (!m)
      throw new ValidationError(`maintenance window "${part.trim()}" must look like "Sat 02:00-06:00" (UTC)`);
    const [, d, sh, sm, eh, em] = m as unknown as [string, string, string, string, string, string];
    const startMin = Number(sh) * 60 + Number(sm);
    let endMin = Number(eh) * 60 + Number(em);
    if (startMin >= 1440 || endMin > 1440)
      throw new ValidationError(`maintenance window "${part.trim()}" has an invalid time`);
    if (endMin <= startMin) endMin += 1440;
    return { day: DAYS.indexOf(d.toUpperCase().slice(0, 3)), startMin, endMin, text: part.trim() };
  });
}

/** Whether a start at this day of week and minute of day (UTC) falls inside a window (no windows: always). */
export function inWindow(windows: readonly MaintenanceWindow[], day: number, minuteOfDay: number): boolean {
  if (!windows.length) return true;
  return windows.some((w) => {
    const offset = (((day - w.day + 7) % 7) * 1440 + minuteOfDay) % (7 * 1440);
    return offset >= w.startMin && offset < w.endMin;
  });
}

/** The UTC time `yyyy-mm-ddThh:mm:ss` names, or null when no such moment exists (2027-02-30, T24:00:00, T23:60). */
export function atTime(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59) return null;
  const when = Date.UTC(y, mo - 1, d, h, mi, se);
  return new Date(when).getUTCDate() === d ? when : null; // Date.UTC rolls Feb 30 over into March
}

/**
 * Checks a schedule expression against the windows: `at(yyyy-mm-ddThh:mm:ss)` (UTC) and weekly
 * `cron(m h ? * DOW *)` with a fixed minute and hour. Returns the normalised expression or throws a 400 naming why.
 */
export function checkScheduleExpression(
  expression: string,
  windows: readonly MaintenanceWindow[],
  now: number,
): string {
  const at = /^at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)$/.exec(expression);
  const allowed = windows.map((w) => w.text).join(', ');
  if (at?.[1]) {
    const when = atTime(at[1]);
    if (when === null)
      throw new ValidationError(
        `${expression}: not a real date and time (month 01-12, a day the month has, hours 00-23, minutes and seconds 00-59)`,
      );
    if (when <= now) throw new ValidationError(`${expression} is in the past (times are UTC)`);
    const d = new Date(when);
    if (!inWindow(windows, d.getUTCDay(), d.getUTCHours() * 60 + d.getUTCMinutes())) {
      throw new ValidationError(`${expression} is outside the maintenance windows (${allowed}, UTC)`);
    }
    return expression;
  }
  const cron = /^cron\((\d{1,2}) (\d{1,2}) \? \* ([A-Za-z,]+) \*\)$/.exec(expression);
  if (cron?.[1] && cron[2] && cron[3]) {
    const minute = Number(cron[1]);
    const hour = Number(cron[2]);
    const days = cron[3]
      .toUpperCase()
      .split(',')
      .map((d) => DAYS.indexOf(d));
    if (minute > 59 || hour > 23 || days.some((d) => d < 0))
      throw new ValidationError(`${expression}: invalid minute, hour or day`);
    for (const day of days) {
      if (!inWindow(windows, day, hour * 60 + minute)) {
        throw new ValidationError(
          `${expression} fires on ${DAYS[day]} ${cron[2]}:${cron[1]} UTC, outside the maintenance windows (${allowed})`,
        );
      }
    }
    return expression;
  }
  throw new ValidationError(
    'schedule must be at(yyyy-mm-ddThh:mm:ss) in UTC, or a weekly cron(m h ? * DOW *) such as cron(0 3 ? * SAT *)',
  );
}
