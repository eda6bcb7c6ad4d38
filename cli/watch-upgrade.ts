import { requestOf } from '../lambdas/routes.ts';
import type { ApiClient } from './api-client.ts';
import { EXIT, type ExitCode } from './cli-errors.ts';
import { LiveScreen } from './live-screen.ts';
import { duration, type OutputMode, paint } from './output.ts';
import { sleep, surviving } from './polling.ts';
import { stateWord } from './views.ts';
import { drainFrame } from './watch-drain.ts';

type Body = Record<string, unknown>;
/** States an upgrade ends in, with the exit code each gives (succeeded and dry runs: 0). */
const ENDS: Record<string, ExitCode> = {
  succeeded: EXIT.ok,
  dry_run: EXIT.ok,
  failed: EXIT.failed,
  rolled_back: EXIT.failed,
  aborted: EXIT.failed,
  needs_operator: EXIT.failed,
  refused: EXIT.failed,
};

/** What the operator can do while the upgrade waits for them (the status's current_step while it waits). */
const WAITING_FOR_YOU: Record<string, (id: string, to: string) => string> = {
  'Waiting for deploy': (id, to) =>
    `deploy ${to}, then: ucp upgrade continue ${id} (or ucp upgrade abort to roll back)`,
  'Waiting for governance migration': (id) =>
    `when the governance proposal has migrated the contract: ucp upgrade confirm-migration ${id} --tx-hash <hash>`,
};

const COMPONENT_MARK: Record<string, [string, Parameters<typeof paint>[1]]> = {
  pending: ['·', 'dim'],
  current: ['▶', 'yellow'],
  done: ['✓', 'green'],
  rolling_back: ['↩', 'yellow'],
  rolled_back: ['↩', 'yellow'],
  rollback_failed: ['✗', 'red'],
};

/** One contract or service of the upgrade: where it stands, in the status's words. */
function componentLine(m: OutputMode, c: Body): string {
  const [mark, colour] = COMPONENT_MARK[String(c.state)] ?? ['·', 'dim'];
  return ` ${paint(m, colour, mark)} ${String(c.kind)} ${paint(m, 'bold', String(c.name))}  ${paint(m, 'dim', `${String(c.state)}: ${String(c.detail)}`)}`;
}

/** The steps taken so far with ✓ / ▶ / ✗ and durations (rollback steps included when taken), the current one bold. */
export function upgradeFrame(m: OutputMode, detail: Body, status: Body | null, note = ''): string {
  const u = (detail.upgrade ?? {}) as Body;
  const steps = (detail.steps ?? []) as Body[];
  const lines = [
    `${paint(m, 'bold', String(u.id))}  ${String(u.from_version)} -> ${String(u.to_version)}  ${stateWord(m, status?.state ?? u.state)}` +
      (typeof u.progress_pct === 'number' ? `  ${u.progress_pct}%` : '') +
      (status?.strategy === 'rolling' ? `  ${paint(m, 'dim', 'rolling: admission stays open')}` : ''),
  ];
  // A wait for the operator is a step that handed its token over and ended: the status's current step says it waits.
  const live = u.state === 'running';
  const current = live ? String(status?.current_step ?? '') : '';
  steps.forEach((s, i) => {
    const end = typeof s.ended_at === 'number' ? s.ended_at : Date.now();
    const took = duration((end - Number(s.started_at)) / 1000);
    const here = live && (s.outcome === 'running' || (i === steps.length - 1 && current in WAITING_FOR_YOU));
    const mark =
      s.outcome === 'failed' ? paint(m, 'red', '✗') : here ? paint(m, 'yellow', '▶') : paint(m, 'green', '✓');
    const name = here ? paint(m, 'inverse', String(s.name)) : String(s.name);
    lines.push(
      ` ${mark} ${name}  ${paint(m, 'dim', took)}${s.cause ? `  ${paint(m, 'red', String(s.cause).slice(0, 100))}` : ''}`,
    );
  });
  const components = (status?.components ?? []) as Body[];
  if (components.length) lines.push('', ...components.map((c) => componentLine(m, c)));
  const drain = status?.drain_status as Body | undefined;
  if (drain && drain.mode === 'Draining') lines.push('', drainFrame(m, drain));
  const bake = status?.bake as Body | null | undefined;
  if (bake && bake.state === 'baking')
    lines.push(
      '',
      `baking: ${duration(Number(bake.seconds_left))} left (ucp upgrade promote ${String(u.id)} ends it early)`,
    );
  const yours = WAITING_FOR_YOU[current];
  const next = status?.next ?? (yours ? yours(String(u.id), String(u.to_version)) : null);
  if (next) lines.push(paint(m, 'yellow', `next: ${String(next)}`));
  if (u.error) lines.push(paint(m, 'red', `error: ${String(u.error)}`));
  if (note) lines.push(paint(m, 'yellow', note));
  return lines.join('\n');
}

/** `--watch`: redraws the upgrade every second until it ends; exit 0 when it succeeded, 1 when it did not. */
export async function watchUpgrade(
  client: () => ApiClient,
  id: string,
  m: OutputMode,
  opts: { intervalMs: number; giveUpSecs: number },
): Promise<ExitCode> {
  const screen = new LiveScreen(m);
  let last: { detail: Body; status: Body | null } | null = null;
  for (;;) {
    const read = await surviving(
      client,
      async (api) => {
        const detail = await api.call(...requestOf('upgrade-get', { id }));
        const status = await api.send(...requestOf('upgrade-status'));
        const mine = status.status === 200 && status.body.upgrade_id === id ? status.body : null;
        return { detail, status: mine };
      },
      (secs) => {
        const note = `control plane unreachable for ${duration(secs)}: retrying (the upgrade resumes when it is back)`;
        screen.draw(last ? upgradeFrame(m, last.detail, last.status, note) : note);
      },
      opts.giveUpSecs,
    );
    last = read;
    const state = String(((read.detail.upgrade ?? {}) as Body).state);
    if (m === 'json')
      process.stdout.write(`${JSON.stringify({ upgrade: read.detail.upgrade, status: read.status })}\n`);
    else screen.draw(upgradeFrame(m, read.detail, read.status));
    const end = ENDS[state];
    if (end !== undefined) {
      if (m !== 'json') process.stdout.write(`upgrade ${id} ended ${state}\n`);
      return end;
    }
    await sleep(opts.intervalMs);
  }
}
