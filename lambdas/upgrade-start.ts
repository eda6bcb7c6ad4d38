import { withDefaults } from '../shared/upgrade/upgrade-config.ts';
import { adminServices } from './compose/admin-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { UpgradeStartBody } from './http/schemas.ts';
import { upgradeStart } from './routes.ts';

/** POST /admin/upgrade/start: 202 with the upgrade id and execution name; 409 naming a running upgrade. */
export const handler = httpHandler(
  upgradeStart,
  { body: UpgradeStartBody, services: adminServices },
  async ({ body, caller, services }) => {
    const { config, upgrades } = services;
    const upgrade = withDefaults(body, config.pollIntervalSecs);
    const record = await upgrades.start(caller, upgrade);
    return {
      status: 202,
      body: {
        upgrade_id: record.id,
        execution_name: record.execution_name,
        execution_arn: record.execution_arn,
        from_version: record.from_version,
        target_version: record.to_version,
        dry_run: upgrade.dry_run,
        status_url: '/admin/upgrade/status',
        detail_url: `/admin/upgrades/${record.id}`,
      },
      headers: { location: `/admin/upgrades/${record.id}` },
    };
  },
);
