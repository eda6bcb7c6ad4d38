import { NotFoundError } from '../shared/domain/errors.ts';
import { proposalServices } from './compose/proposal-services.ts';
import { httpHandler } from './http/http-handler.ts';
import { proposalIdFrom } from './http/proposal-schemas.ts';
import { EmptyBody } from './http/schemas.ts';
import { proposalExecute } from './routes.ts';

/** POST /admin/proposals/{id}/execute: starts the upgrade with exactly the approved config, once; 409 before the timelock ends. */
export const handler = httpHandler(
  proposalExecute,
  { body: EmptyBody, services: proposalServices },
  async ({ caller, pathParameters, services }) => {
    const id = proposalIdFrom(pathParameters);
    if (!id) throw new NotFoundError('no such proposal');
    const { proposal, upgrade } = await services.proposals.execute(caller, id);
    return {
      status: 202,
      body: {
        proposal_id: proposal.id,
        upgrade_id: upgrade.id,
        execution_arn: upgrade.execution_arn,
        target_version: upgrade.to_version,
        config_sha256: proposal.config_sha256,
        status_url: '/admin/upgrade/status',
        detail_url: `/admin/upgrades/${upgrade.id}`,
      },
      headers: { location: `/admin/upgrades/${upgrade.id}` },
    };
  },
);
