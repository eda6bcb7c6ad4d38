import { requestOf } from '../lambdas/routes.ts';
import type { ApiClient } from './api-client.ts';
import type { ExitCode } from './cli-errors.ts';
import type { OutputMode } from './output.ts';

type Body = Record<string, unknown>;

/** What a command has to work with. */
export interface CommandContext {
  /** A client for the resolved connection (made again on each call, so a live view survives a restart). */
  readonly api: () => ApiClient;
  readonly args: readonly string[];
  readonly opts: Readonly<Record<string, unknown>>;
  readonly mode: OutputMode;
}

/** What a command produced: the API's answer (printed as is under --json), its rendering, and the exit code. */
export interface CommandResult {
  readonly body: unknown;
  readonly text: string;
  readonly exit?: ExitCode;
  /** Already printed (live views): nothing more to print. */
  readonly printed?: boolean;
}

/** One command of `ucp`: its words, arguments and options (commander syntax), and what it does. */
export interface CommandSpec {
  readonly path: readonly string[];
  readonly summary: string;
  readonly args?: readonly string[];
  readonly options?: readonly (readonly [flags: string, description: string])[];
  run(ctx: CommandContext): Promise<CommandResult>;
}

/** A command that is one API call, rendered by `view`. */
export const apiCommand = (
  spec: Omit<CommandSpec, 'run'> & {
    readonly call: (ctx: CommandContext) => readonly [method: string, path: string, body?: unknown];
    readonly view: (m: OutputMode, body: Body) => string;
  },
): CommandSpec => ({
  ...spec,
  async run(ctx) {
    const [method, path, body] = spec.call(ctx);
    const answer = await ctx.api().call(method, path, body);
    return { body: answer, text: spec.view(ctx.mode, answer) };
  },
});

/** The id argument as given (the API table's path builder encodes it). */
export const idArg = (ctx: CommandContext, i = 0): string => ctx.args[i] ?? '';

type Options = Readonly<Record<string, unknown>>;

/**
 * A family of one-POST commands, `<group> <word> [<id>]`: the request is the API table's route `route(word)` (with
 * the id as its path parameter), its body comes from the options (or none), and the answer is shown by `view`.
 * Returns the maker of one such command.
 */
export const postCommands =
  (family: {
    readonly group: string;
    /** The route's name (its handler) in lambdas/routes.ts. */
    readonly route: (word: string) => string;
    readonly withId: boolean;
    readonly view: (m: OutputMode, body: Body) => string;
  }) =>
  (
    word: string,
    summary: string,
    body?: (opts: Options) => unknown,
    options: CommandSpec['options'] = [],
  ): CommandSpec =>
    apiCommand({
      path: [family.group, word],
      summary,
      ...(family.withId ? { args: ['<id>'] } : {}),
      options,
      call: (ctx) => [
        ...requestOf(family.route(word), family.withId ? { id: idArg(ctx) } : {}),
        body?.(ctx.opts),
      ],
      view: family.view,
    });
