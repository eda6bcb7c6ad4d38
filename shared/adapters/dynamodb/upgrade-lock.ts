/**
 * UPGRADE_LOCK/LOCK in the control table: the id of the one upgrade allowed to run (`upgrade_id`). The upgrade store
 * takes and releases it; the fence store makes every mode write conditional on it (see FenceStore.writeMode).
 */
export const UPGRADE_LOCK_KEY = { pk: 'UPGRADE_LOCK', sk: 'LOCK' } as const;
