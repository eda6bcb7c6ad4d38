/**
 * UPGRADE_LOCK/LOCK in the control table: the id of the one upgrade allowed to run (`upgrade_id`), and whether it
 * changes the running version (`changes_version`). The upgrade store takes and releases it; the fence store makes
 * every mode write conditional on it (see FenceStore.writeMode).
 */
export const UPGRADE_LOCK_KEY = { pk: 'UPGRADE_LOCK', sk: 'LOCK' } as const;

/**
 * PROTOCOL_ROLLOUT/ACTIVE: the id of the one unfinished protocol rollout (`rollout_id`). The rollout store creates and
 * deletes it; an upgrade that changes the running version takes its lock only while it is absent, and a rollout is
 * created only while no such upgrade holds the lock (`changes_version` on the lock).
 */
export const ROLLOUT_ACTIVE_KEY = { pk: 'PROTOCOL_ROLLOUT', sk: 'ACTIVE' } as const;
