import { readFileSync } from 'node:fs';
import { requestOf } from '../../lambdas/routes.ts';
import { UsageError } from '../cli-errors.ts';
import { apiCommand, type CommandContext, type CommandSpec, idArg, postCommands } from '../command-table.ts';
import { messageView, upgradeDetailView, upgradeStatusView, upgradesView } from '../views.ts';
import { watchUpgrade } from '../watch-upgrade.ts';

/**
 * The upgrade config: --file (the whole UpgradeConfig), or --reason with --target (plus --dry-run); --reason alone
 * is a maintenance upgrade on the running version (it waits for `ucp drain resume`).
 */
export function upgradeConfigFrom(opts: Record<string, unknown>): Record<string, unknown> {
  if (opts.file) {
    try {
      return JSON.parse(readFileSync(String(opts.file), 'utf8')) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`cannot read the upgrade config ${String(opts.file)}: ${(err as Error).message}`);
    }
  }
  if (!opts.reason)
    throw new UsageError(
      'give --reason <text> (with --target <version>, or without it for a maintenance on the running version), or --file config.json (the UpgradeConfig)',
    );
  return {
    ...(opts.target ? { target_version: opts.target } : {}),
    reason: opts.reason,
    ...(opts.dryRun ? { dry_run: true } : {}),
  };
}

export const watchOptions = (ctx: CommandContext) => ({
  intervalMs: Number(ctx.opts.interval ?? 1000),
  giveUpSecs: Number(ctx.opts.giveUp ?? 300),
});

/** POST /admin/upgrade/{id}/<word>: a signal to one upgrade. */
const signal = postCommands({
  group: 'upgrade',
  route: (word) => `upgrade-${word}`,
  withId: true,
  view: messageView,
});

export const UPGRADE_COMMANDS: readonly CommandSpec[] = [
  {
    path: ['upgrade', 'start'],
    summary:
      'start an upgrade (--target V --reason R, or --file config.json; --reason alone: a maintenance); --watch follows it live',
    options: [
      [
        '--target <version>',
        'target_version (absent: a maintenance on the running version; end it with ucp drain resume)',
      ],
      ['--reason <text>', 'why (audited)'],
      ['--file <config.json>', 'the whole UpgradeConfig instead of --target/--reason'],
      ['--dry-run', 'run the checks only'],
      ['--watch', 'follow it live until it ends (exit 0 succeeded, 1 failed or rolled back)'],
      ['--interval <ms>', 'live view: poll interval (default 1000)'],
    ],
    async run(ctx) {
      const started = await ctx.api().call(...requestOf('upgrade-start'), upgradeConfigFrom(ctx.opts));
      if (!ctx.opts.watch)
        return {
          body: started,
          text: `${messageView(ctx.mode, started)}\nfollow it: ucp upgrade show ${String(started.upgrade_id)}`,
        };
      if (ctx.mode === 'json') process.stdout.write(`${JSON.stringify(started)}\n`);
      const exit = await watchUpgrade(ctx.api, String(started.upgrade_id), ctx.mode, watchOptions(ctx));
      return { body: null, text: '', exit, printed: true };
    },
  },
  apiCommand({
    path: ['upgrade', 'status'],
    summary: 'the current (or last) upgrade: state, step, progress, what to do next',
    call: () => requestOf('upgrade-status'),
    view: upgradeStatusView,
  }),
  {
    path: ['upgrade', 'watch'],
    summary: 'live view of an upgrade (the current one when no id) until it ends',
    args: ['[id]'],
    options: [['--interval <ms>', 'poll interval (default 1000)']],
    async run(ctx) {
      const id = ctx.args[0] ?? String((await ctx.api().call(...requestOf('upgrade-status'))).upgrade_id);
      const exit = await watchUpgrade(ctx.api, id, ctx.mode, watchOptions(ctx));
      return { body: null, text: '', exit, printed: true };
    },
  },
  apiCommand({
    path: ['upgrade', 'abort'],
    summary: 'abort the running upgrade: it rolls back to its checkpoint and resumes on the old version',
    call: () => requestOf('upgrade-abort'),
    view: messageView,
  }),
  signal('continue', 'let a manual deploy go on (after you deployed the new version)'),
  signal(
    'confirm-migration',
    'confirm a governance migration by its transaction hash',
    (o) => ({ tx_hash: o.txHash }),
    [['--tx-hash <hash>', 'the 64 hex digits of the migration transaction']],
  ),
  signal('promote', 'end a bake early, as a success'),
  apiCommand({
    path: ['upgrade', 'show'],
    summary: 'one upgrade with every step, its duration and outcome',
    args: ['<id>'],
    call: (ctx) => requestOf('upgrade-get', { id: idArg(ctx) }),
    view: upgradeDetailView,
  }),
  apiCommand({
    path: ['upgrades'],
    summary: 'the upgrade history, newest first',
    options: [['--limit <n>', 'how many (default 20)']],
    call: ({ opts }) =>
      requestOf('upgrades-list', {}, { limit: opts.limit ? Number(opts.limit) : undefined }),
    view: upgradesView,
  }),
];
