import { requestOf } from '../../lambdas/routes.ts';
import { apiCommand, type CommandSpec, idArg } from '../command-table.ts';
import {
  checkpointsView,
  drainView,
  ibcPendingView,
  inflightView,
  messageView,
  recoveryView,
  schedulesView,
  upgradeStatusView,
  validationView,
} from '../views.ts';
import { upgradeConfigFrom } from './upgrade.ts';

export const MISC_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['status'],
    summary: 'the drain mode and the current upgrade, at a glance',
    async run({ api, mode }) {
      const client = api();
      const drain = await client.call(...requestOf('drain-status'));
      const upgrade = await client.send(...requestOf('upgrade-status'));
      const current = upgrade.status === 200 && upgrade.body.state !== 'none' ? upgrade.body : null;
      const text = `${drainView(mode, drain)}${current ? `\n\n${upgradeStatusView(mode, current)}` : '\n\nno upgrade yet'}`;
      return { body: { drain, upgrade: current }, text };
    },
  },
  apiCommand({
    path: ['recovery'],
    summary: 'what is recovering: intents in a Recover… phase, and an upgrade being recovered or rolled back',
    options: [
      ['--limit <n>', 'intents per page (default 50)'],
      ['--cursor <c>', 'the next page (from the previous answer)'],
    ],
    call: ({ opts }) =>
      requestOf(
        'recovery-status',
        {},
        { limit: (opts.limit as string | undefined) ?? 50, cursor: opts.cursor as string | undefined },
      ),
    view: recoveryView,
  }),
  apiCommand({
    path: ['ibc', 'pending'],
    summary:
      'pending IBC packets of the inflight intents, nearest timeout first (--channel, --limit, --cursor)',
    options: [
      ['--channel <id>', 'only packets on this channel (channel-0)'],
      ['--limit <n>', 'intents per page (default 50)'],
      ['--cursor <c>', 'the next page (from the previous answer)'],
    ],
    call: ({ opts }) =>
      requestOf(
        'ibc-pending',
        {},
        {
          channel: opts.channel as string | undefined,
          limit: (opts.limit as string | undefined) ?? 50,
          cursor: opts.cursor as string | undefined,
        },
      ),
    view: ibcPendingView,
  }),
  apiCommand({
    path: ['inflight'],
    summary: 'inflight intents, a page at a time (--phase, --locked, --limit, --cursor)',
    options: [
      ['--phase <phase>', 'only this phase'],
      ['--locked', 'only intents with funds locked'],
      ['--limit <n>', 'page size (default 50)'],
      ['--cursor <c>', 'the next page (from the previous answer)'],
    ],
    call: ({ opts }) =>
      requestOf(
        'inflight-list',
        {},
        {
          phase: opts.phase as string | undefined,
          locked: opts.locked ? 'true' : undefined,
          limit: (opts.limit as string | undefined) ?? 50,
          cursor: opts.cursor as string | undefined,
        },
      ),
    view: inflightView,
  }),
  apiCommand({
    path: ['checkpoints'],
    summary: 'checkpoints in S3, newest first',
    call: () => requestOf('checkpoints-list'),
    view: checkpointsView,
  }),
  apiCommand({
    path: ['checkpoint', 'validate'],
    summary: 'recheck every hash and count of a checkpoint',
    args: ['<id>'],
    call: (ctx) => requestOf('checkpoint-get', { id: idArg(ctx) }, { validate: 'true' }),
    view: validationView,
  }),
  apiCommand({
    path: ['schedules', 'list'],
    summary: 'scheduled upgrades',
    call: () => requestOf('schedules-list'),
    view: schedulesView,
  }),
  apiCommand({
    path: ['schedules', 'create'],
    summary:
      'schedule an upgrade: --name, --at (at(...), cron(...) or rate(...)), and --proposal or the config',
    options: [
      ['--name <name>', 'schedule name'],
      ['--at <expression>', 'e.g. at(2026-12-05T03:00:00)'],
      ['--proposal <id>', 'run this approved proposal'],
      ['--target <version>', 'target_version'],
      ['--reason <text>', 'why'],
      ['--file <config.json>', 'the whole UpgradeConfig'],
      ['--dry-run', 'a dry run'],
    ],
    call: ({ opts }) => [
      ...requestOf('schedule-create'),
      {
        name: opts.name,
        schedule: opts.at,
        ...(opts.proposal ? { proposal_id: opts.proposal } : { upgrade: upgradeConfigFrom(opts) }),
      },
    ],
    view: (m, b) => schedulesView(m, { schedules: [b] }),
  }),
  apiCommand({
    path: ['schedules', 'delete'],
    summary: 'delete a schedule',
    args: ['<id>'],
    call: (ctx) => requestOf('schedule-delete', { id: idArg(ctx) }),
    view: messageView,
  }),
];
