/**
 * The CLI's exit codes: 0 ok; 1 the upgrade (or the operation) failed or rolled back; 2 a usage error (a wrong flag,
 * or a request the API refused as invalid); 3 the control plane is unreachable, or refused who we are.
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the CLI reports in one line (what happened, what to do) and exits with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** The API's answer, printed as it is under --json. */
    readonly body: unknown = null,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(message: string, body: unknown = null) {
    super(message, EXIT.usage, body);
  }
}

export class UnreachableError extends CliError {
  constructor(message: string, body: unknown = null) {
    super(message, EXIT.unreachable, body);
  }
}
