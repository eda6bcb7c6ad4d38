import { requestOf } from '../../lambdas/routes.ts';
import { apiCommand, type CommandSpec, idArg, postCommands } from '../command-table.ts';
import { rolloutsView, rolloutView } from '../rollout-views.ts';

/** POST /admin/protocol/rollouts/{id}/<word>: an operator's move on one rollout. */
const move = postCommands({
  group: 'protocol',
  route: (word) => `protocol-rollout-${word}`,
  withId: true,
  view: rolloutView,
});

const secs = (v: unknown) => (v === undefined ? undefined : Number(v));

export const PROTOCOL_COMMANDS: readonly CommandSpec[] = [
  apiCommand({
    path: ['protocol', 'list'],
    summary: 'protocol rollouts, newest first: phase and what happens next',
    call: () => requestOf('protocol-rollouts-list'),
    view: rolloutsView,
  }),
  apiCommand({
    path: ['protocol', 'show'],
    summary: 'one protocol rollout: phase, timers, sunset, conversion progress, history',
    args: ['<id>'],
    call: (ctx) => requestOf('protocol-rollout-get', { id: idArg(ctx) }),
    view: rolloutView,
  }),
  apiCommand({
    path: ['protocol', 'start'],
    summary:
      'start a protocol rollout (seed 001 Procedure 3): --from --to --parallel-secs --deprecation-secs --reason',
    options: [
      ['--from <version>', 'the running protocol version'],
      ['--to <version>', 'the version to move to (the migrations must reach it)'],
      ['--parallel-secs <n>', 'how long both versions are admitted before the migration phase'],
      ['--deprecation-secs <n>', 'how long `from` gets 426 before it is removed'],
      ['--reason <text>', 'why; announced'],
    ],
    call: ({ opts }) => [
      ...requestOf('protocol-rollout-start'),
      {
        from: opts.from,
        to: opts.to,
        parallel_secs: secs(opts.parallelSecs),
        deprecation_secs: secs(opts.deprecationSecs),
        reason: opts.reason,
      },
    ],
    view: rolloutView,
  }),
  move(
    'hold',
    'hold a rollout in its phase (--reason): its timer and conversion wait',
    (o) => ({ reason: o.reason }),
    [['--reason <text>', 'why; required']],
  ),
  move('continue', 'let a held rollout go on (its phase timer is extended by the hold)'),
  move('rollback', 'roll a rollout back before removal (--reason)', (o) => ({ reason: o.reason }), [
    ['--reason <text>', 'why; required'],
  ]),
];
