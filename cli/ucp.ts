import { Command, CommanderError } from 'commander';
import { ApiClient } from './api-client.ts';
import { CliError, EXIT, type ExitCode } from './cli-errors.ts';
import type { CommandSpec } from './command-table.ts';
import { COMMANDS } from './commands/index.ts';
import { type ConnectionOptions, resolveConnection } from './connection.ts';
import { outputMode, paint } from './output.ts';

/** Builds `ucp`: the global connection and output options, then one subcommand per entry of COMMANDS. */
export function buildProgram(onExit: (code: ExitCode) => void): Command {
  const program = new Command('ucp')
    .description(
      'Operate the upgrade control plane: drain, upgrades, proposals, protocol rollouts, checkpoints.',
    )
    .option('--url <url>', 'the API (default: the local stack `npm start` runs, or UCP_URL)')
    .option('--token <token>', 'bearer token (default: the local admin token, or UCP_TOKEN)')
    .option('--operator <name>', 'use this operator’s own local token (approvals)')
    .option('--profile <name>', 'AWS profile, for an https API signed with SigV4')
    .option('--sigv4', 'sign with SigV4 (the default for an https URL with no token)')
    .option('--region <region>', 'AWS region (default: from the URL or AWS_REGION)')
    .option('--data-dir <dir>', 'the local stack’s data folder (default: DATA_DIR or .data)')
    .option('--json', 'print the API’s JSON (one line per update in live views)')
    .option('--give-up <secs>', 'live views: give up after this long unreachable (default 300)')
    .exitOverride()
    .showHelpAfterError('(ucp --help lists the commands)');
  const groups = new Map<string, Command>();
  const GROUPS: Record<string, string> = {
    drain:
      'stop admitting intents and let the inflight ones finish: start, status, watch, cancel, resume, force',
    upgrade:
      'start, follow and steer an upgrade: start, status, watch, show, abort, continue, confirm-migration, promote',
    proposals: 'upgrades that need approvals: list, show, propose, approve, reject, cancel, execute',
    schedules: 'scheduled upgrades: list, create, delete',
    protocol:
      'protocol version rollouts without a drain (Procedure 3): list, show, start, hold, continue, rollback',
    checkpoint: 'one checkpoint: validate',
  };
  const parentOf = (words: readonly string[]): Command => {
    let parent = program;
    for (let i = 0; i < words.length; i++) {
      const key = words.slice(0, i + 1).join(' ');
      let group = groups.get(key);
      if (!group) {
        group = parent
          .command(words[i] ?? '')
          .description(GROUPS[key] ?? '')
          .exitOverride();
        groups.set(key, group);
      }
      parent = group;
    }
    return parent;
  };
  for (const spec of COMMANDS) addCommand(parentOf(spec.path.slice(0, -1)), spec, onExit);
  return program;
}

function addCommand(parent: Command, spec: CommandSpec, onExit: (code: ExitCode) => void): void {
  const name = spec.path[spec.path.length - 1] ?? '';
  const cmd = parent
    .command([name, ...(spec.args ?? [])].join(' '))
    .description(spec.summary)
    .exitOverride();
  for (const [flags, description] of spec.options ?? []) cmd.option(flags, description);
  cmd.action(async (...all: unknown[]) => {
    const self = all[all.length - 1] as Command;
    const opts = self.optsWithGlobals() as Record<string, unknown>;
    const mode = outputMode(Boolean(opts.json));
    const args = all.slice(0, -2).filter((a): a is string => typeof a === 'string');
    const api = () => new ApiClient(resolveConnection(opts as ConnectionOptions));
    const result = await spec.run({ api, args, opts, mode });
    if (!result.printed) {
      const out = mode === 'json' ? JSON.stringify(result.body, null, 2) : result.text;
      if (out) process.stdout.write(`${out}\n`);
    }
    onExit(result.exit ?? EXIT.ok);
  });
}

/** Runs `ucp` with `argv` (user arguments only); resolves to the exit code. */
export async function runUcp(argv: readonly string[]): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = buildProgram((c) => {
    code = c;
  });
  const json = argv.includes('--json');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return EXIT.ok;
      return EXIT.usage; // commander has printed what was wrong
    }
    if (err instanceof CliError) {
      if (json)
        process.stdout.write(
          `${JSON.stringify({ error: err.body ?? null, message: err.message, exit_code: err.exitCode })}\n`,
        );
      process.stderr.write(`${paint(outputMode(false, process.stderr), 'red', 'ucp:')} ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(
      `ucp: unexpected error (a bug, please report it): ${(err as Error).stack ?? String(err)}\n`,
    );
    return EXIT.failed;
  }
}
