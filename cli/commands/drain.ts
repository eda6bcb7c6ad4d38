import { requestOf } from '../../lambdas/routes.ts';
import { apiCommand, type CommandSpec, postCommands } from '../command-table.ts';
import { drainView, messageView } from '../views.ts';
import { watchDrain } from '../watch-drain.ts';

/** The drain actions: POST /admin/drain/<word>, answered with the drain status itself. */
const drainAction = postCommands({
  group: 'drain',
  route: (word) => `drain-${word}`,
  withId: false,
  view: (m, b) => (b.mode ? drainView(m, b) : messageView(m, b)),
});

export const DRAIN_COMMANDS: readonly CommandSpec[] = [
  drainAction(
    'start',
    'stop admitting new intents (503 + Retry-After) and let the inflight ones finish',
    (o) => ({ reason: o.reason, ...(o.timeout ? { drain_timeout_secs: Number(o.timeout) } : {}) }),
    [
      ['--reason <text>', 'why (audited); required'],
      ['--timeout <secs>', 'drain_timeout_secs (default 1800)'],
    ],
  ),
  apiCommand({
    path: ['drain', 'status'],
    summary: 'the mode, inflight count, oldest age, locked funds and deadline',
    call: () => requestOf('drain-status'),
    view: drainView,
  }),
  drainAction('cancel', 'cancel a drain: admit intents again'),
  drainAction(
    'resume',
    'resume after a drain (on a version, if given)',
    (o) => (o.version ? { version: o.version } : undefined),
    [['--version <v>', 'resume on this version']],
  ),
  drainAction(
    'force',
    'declare Drained although intents remain (they keep running)',
    (o) => ({
      ...(o.acknowledgeLockedFunds ? { acknowledge_locked_funds: true } : {}),
    }),
    [['--acknowledge-locked-funds', 'force even with funds locked in inflight intents']],
  ),
  {
    path: ['drain', 'watch'],
    summary: 'live view of a drain until Drained (exit 0) or cancelled (exit 1)',
    options: [['--interval <ms>', 'poll interval (default 1000)']],
    async run({ api, mode, opts }) {
      const exit = await watchDrain(api, mode, {
        intervalMs: Number(opts.interval ?? 1000),
        giveUpSecs: Number(opts.giveUp ?? 300),
      });
      return { body: null, text: '', exit, printed: true };
    },
  },
];
