import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A program the tests need that Debian packages: what it is for, where it lands, and the package that brings it. */
export interface DebianProgram {
  readonly purpose: string;
  /** Present when this command runs (`java -version`), or this file exists (`/usr/bin/chromium`). */
  readonly probe: { readonly command: readonly string[] } | { readonly file: string };
  readonly apt: string;
}

/** What this machine offers the install step. */
export interface MachineFacts {
  readonly present: boolean;
  readonly root: boolean;
  readonly apt: boolean;
}

/** What to do about one program: nothing, install it with apt, or stop at once with the one command to run. */
export type InstallPlan =
  | { readonly action: 'none' }
  | { readonly action: 'install'; readonly argv: readonly string[] }
  | { readonly action: 'stop'; readonly message: string };

/** The command an operator runs by hand to install `pkg`. */
export const aptCommand = (pkg: string, root: boolean): string =>
  `${root ? '' : 'sudo '}apt-get update && ${root ? '' : 'sudo '}apt-get install -y ${pkg}`;

/** Decides, from the facts alone, how a program gets onto this machine (pure, so the decision is tested). */
export function planInstall(program: DebianProgram, facts: MachineFacts): InstallPlan {
  if (facts.present) return { action: 'none' };
  if (facts.root && facts.apt) return { action: 'install', argv: ['install', '-y', '-qq', program.apt] };
  const why = facts.apt ? 'installing it needs root' : 'this machine has no apt-get';
  return {
    action: 'stop',
    message: `${program.purpose} needs ${program.apt}, which is missing and ${why}. Run:\n  ${aptCommand(program.apt, facts.root)}\nthen run npm test again.`,
  };
}

function runs(argv: readonly string[]): boolean {
  try {
    execFileSync(argv[0] as string, argv.slice(1), { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Reads the facts of this machine for `program`. */
export function machineFacts(program: DebianProgram): MachineFacts {
  const present = 'file' in program.probe ? existsSync(program.probe.file) : runs(program.probe.command);
  return { present, root: process.getuid?.() === 0, apt: runs(['apt-get', '--version']) };
}

/** Makes sure `program` is here: installs it with apt as root, or throws the one command to run. */
export function ensureDebianProgram(program: DebianProgram, log: (line: string) => void): void {
  const facts = machineFacts(program);
  const plan = planInstall(program, facts);
  if (plan.action === 'none') return;
  if (plan.action === 'stop') throw new Error(plan.message);
  log(`installing ${program.apt} for ${program.purpose} (apt-get, as root)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  execFileSync('apt-get', [...plan.argv], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (!machineFacts(program).present)
    throw new Error(`apt-get installed ${program.apt} but ${program.purpose} still cannot find it`);
}

/** Java 17 for DynamoDB Local (a JVM program). */
export const JAVA: DebianProgram = {
  purpose: 'DynamoDB Local',
  probe: { command: ['java', '-version'] },
  apt: 'openjdk-17-jre-headless',
};

/** Debian's Chromium for the console's browser tests (playwright-core drives it; no browser is downloaded). */
export const CHROMIUM: DebianProgram = {
  purpose: "the console's browser tests",
  probe: { file: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
  apt: 'chromium',
};

/** jq, which the operations guide's commands pipe into (test/docs/guide-procedures.test.ts runs them as written). */
export const JQ: DebianProgram = {
  purpose: "the operations guide's commands (test/docs/guide-procedures.test.ts)",
  probe: { command: ['jq', '--version'] },
  apt: 'jq',
};
