import type { CommandSpec } from '../command-table.ts';
import { DRAIN_COMMANDS } from './drain.ts';
import { MISC_COMMANDS } from './misc.ts';
import { PROPOSAL_COMMANDS } from './proposals.ts';
import { PROTOCOL_COMMANDS } from './protocol.ts';
import { UPGRADE_COMMANDS } from './upgrade.ts';

/** Every `ucp` command: one entry each. */
export const COMMANDS: readonly CommandSpec[] = [
  ...MISC_COMMANDS,
  ...DRAIN_COMMANDS,
  ...UPGRADE_COMMANDS,
  ...PROPOSAL_COMMANDS,
  ...PROTOCOL_COMMANDS,
];
