import type { InflightIntent } from '../../shared/domain/inflight.ts';

/** An intent as the API shows it: ISO timestamps and its age in seconds. */
export const presentIntent = (i: InflightIntent, now = Date.now()) => ({
  ...i,
  created_at: new Date(i.created_at).toISOString(),
  updated_at: new Date(i.updated_at).toISOString(),
  age_secs: Math.max(0, Math.floor((now - i.created_at) / 1000)),
});
