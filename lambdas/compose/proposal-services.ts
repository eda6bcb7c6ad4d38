import { ProposalService } from '../../shared/approval/proposal-service.ts';
import { sweepProposals } from '../../shared/approval/proposal-sweep.ts';
import { ScheduledProposals } from '../../shared/approval/scheduled-proposals.ts';
import { type AdminServices, adminServices } from './admin-services.ts';
import { memoised } from './environment.ts';
import { notifier } from './notifier.ts';

/** The upgrade services plus proposals: only the proposal and schedule routes and their Tasks carry the SNS client. */
export interface ProposalServices extends AdminServices {
  readonly proposals: ProposalService;
  readonly scheduled: ScheduledProposals;
  readonly sweep: () => ReturnType<typeof sweepProposals>;
}

/** The proposal services of an environment, built once. */
export const proposalServices = memoised((env): ProposalServices => {
  const admin = adminServices(env);
  const svc = admin.cp.upgrade;
  const notices = notifier(env);
  return {
    ...admin,
    proposals: new ProposalService(svc, admin.upgrades, notices),
    scheduled: new ScheduledProposals(svc, admin.upgrades, notices),
    sweep: () => sweepProposals(svc.proposals, svc.clock, notices),
  };
});
