import { rollBackNextComponent } from '../../shared/upgrade/components/roll-back-components.ts';
import { chainTask } from './chain-task.ts';

/** Upgrade workflow Task "Roll back changed components" (ASL placeholder ${RollBackComponentsFunctionArn}): one replica or one contract, newest change first. */
export const handler = chainTask('Roll back changed components', rollBackNextComponent);
