import { existsSync, readFileSync } from 'node:fs';

/** Where the bake reads alarms: CloudWatch on AWS, a file the embedded runtime (or an operator) writes locally. */
export interface AlarmSource {
  /** The names among `names` whose alarm is in ALARM now. */
  inAlarm(names: readonly string[]): Promise<string[]>;
}

/**
 * The embedded runtime's alarms: a JSON file `{"<alarm name>": "ALARM" | "OK"}` (DATA_DIR/alarms.json), so a
 * test or the demo can trip one: `echo '{"HighErrorRate":"ALARM"}' > .data/alarms.json`. No file: all OK.
 */
export function fileAlarmSource(file: string): AlarmSource {
  return {
    async inAlarm(names) {
      if (!existsSync(file)) return [];
      const states = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
      return names.filter((n) => states[n] === 'ALARM');
    },
  };
}
