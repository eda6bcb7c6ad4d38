import { createInterface } from 'node:readline/promises';
import { requestOf } from '../../lambdas/routes.ts';
import { UsageError } from '../cli-errors.ts';
import { apiCommand, type CommandSpec, idArg, postCommands } from '../command-table.ts';
import { messageView, proposalsView, proposalView } from '../views.ts';
import { upgradeConfigFrom } from './upgrade.ts';

/** Asks on the terminal; false unless the answer is y/yes. */
async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

/** POST /admin/proposals/{id}/<word>: a decision on one proposal. */
const decision = postCommands({
  group: 'proposals',
  route: (word) => `proposal-${word}`,
  withId: true,
  view: (m, b) =>
    `${messageView(m, b)}${b.proposal ? `\n${proposalView(m, b.proposal as Record<string, unknown>)}` : ''}`,
});

export const PROPOSAL_COMMANDS: readonly CommandSpec[] = [
  apiCommand({
    path: ['proposals', 'list'],
    summary: 'upgrade proposals (--state pending|timelocked|executable|executed|rejected|cancelled|expired)',
    options: [['--state <state>', 'only this state']],
    call: ({ opts }) =>
      requestOf('proposals-list', {}, { state: opts.state ? String(opts.state) : undefined }),
    view: proposalsView,
  }),
  apiCommand({
    path: ['proposals', 'show'],
    summary: 'one proposal: its config, config_sha256, approvals and timelock',
    args: ['<id>'],
    call: (ctx) => requestOf('proposal-get', { id: idArg(ctx) }),
    view: proposalView,
  }),
  apiCommand({
    path: ['proposals', 'propose'],
    summary: 'propose an upgrade for approval (--target/--reason or --file, and --description)',
    options: [
      ['--target <version>', 'target_version'],
      ['--reason <text>', 'why'],
      ['--file <config.json>', 'the whole UpgradeConfig'],
      ['--description <text>', 'what changes, for the approvers; required'],
    ],
    call: ({ opts }) => [
      ...requestOf('proposal-create'),
      { upgrade: upgradeConfigFrom(opts), description: opts.description },
    ],
    view: (m, b) => `${messageView(m, b)}\n${proposalView(m, (b.proposal ?? b) as Record<string, unknown>)}`,
  }),
  {
    path: ['proposals', 'approve'],
    summary: 'approve a proposal: shows its config and hash first, then approves exactly that hash',
    args: ['<id>'],
    options: [
      ['--yes', 'approve without asking (the config and hash are still printed)'],
      ['--waive-timelock', 'ask for the emergency timelock waiver'],
    ],
    async run(ctx) {
      const api = ctx.api();
      const p = await api.call(...requestOf('proposal-get', { id: idArg(ctx) }));
      if (ctx.mode !== 'json') process.stderr.write(`${proposalView(ctx.mode, p)}\n`);
      if (!ctx.opts.yes) {
        if (!process.stdin.isTTY)
          throw new UsageError('review the config above, then approve with --yes (no terminal to ask on)');
        if (!(await confirm(`approve ${String(p.id)} with config_sha256 ${String(p.config_sha256)}?`)))
          throw new UsageError('not approved: nothing changed');
      }
      const body = {
        config_sha256: p.config_sha256,
        ...(ctx.opts.waiveTimelock ? { waive_timelock: true } : {}),
      };
      const answer = await api.call(...requestOf('proposal-approve', { id: idArg(ctx) }), body);
      return { body: answer, text: messageView(ctx.mode, answer) };
    },
  },
  decision('reject', 'veto a proposal (--reason)', (o) => ({ reason: o.reason }), [
    ['--reason <text>', 'why; required'],
  ]),
  decision('cancel', 'withdraw a proposal', (o) => (o.reason ? { reason: o.reason } : {}), [
    ['--reason <text>', 'why'],
  ]),
  decision('execute', 'start the approved upgrade once its timelock is over'),
];
