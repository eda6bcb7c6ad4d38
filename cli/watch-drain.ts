import { requestOf } from '../lambdas/routes.ts';
import type { ApiClient } from './api-client.ts';
import { EXIT, type ExitCode } from './cli-errors.ts';
import { LiveScreen } from './live-screen.ts';
import { bar, duration, type OutputMode, paint } from './output.ts';
import { sleep, surviving } from './polling.ts';
import { stateWord } from './views.ts';

type Body = Record<string, unknown>;

/** One frame of the drain view: mode, the inflight count against the count at drain start, oldest, funds, deadline. */
export function drainFrame(m: OutputMode, d: Body, note = ''): string {
  const inflight = Number(d.inflight_count ?? 0);
  const atStart = inflight + Number(d.completed_since_drain ?? 0);
  const deadline = typeof d.deadline === 'string' ? (Date.parse(d.deadline) - Date.now()) / 1000 : null;
  const lines = [
    `${stateWord(m, d.mode)}  ${bar(atStart - inflight, atStart)}  ${paint(m, 'bold', String(inflight))} of ${atStart} inflight remain`,
    `oldest ${d.oldest_inflight_age_secs === null ? '-' : duration(Number(d.oldest_inflight_age_secs))}` +
      ` · locked funds ${String(d.inflight_with_locked_funds ?? 0)}` +
      ` · deadline ${deadline === null ? '-' : deadline >= 0 ? `in ${duration(deadline)}` : paint(m, 'red', `passed ${duration(-deadline)} ago`)}`,
  ];
  if (note) lines.push(paint(m, 'yellow', note));
  return lines.join('\n');
}

/**
 * `ucp drain watch`: redraws the drain every second until it ends. Drained (or an upgrade already past it): 0. A
 * drain cancelled (Active again): 1. Not draining at all: prints the state, 0.
 */
export async function watchDrain(
  client: () => ApiClient,
  m: OutputMode,
  opts: { intervalMs: number; giveUpSecs: number },
): Promise<ExitCode> {
  const screen = new LiveScreen(m);
  let last: Body | null = null;
  let seenDraining = false;
  for (;;) {
    const d = await surviving(
      client,
      (api) => api.call(...requestOf('drain-status')),
      (secs) =>
        screen.draw(
          last
            ? drainFrame(m, last, `control plane unreachable for ${duration(secs)}: retrying`)
            : `control plane unreachable for ${duration(secs)}: retrying`,
        ),
      opts.giveUpSecs,
    );
    last = d;
    if (m === 'json') process.stdout.write(`${JSON.stringify(d)}\n`);
    else screen.draw(drainFrame(m, d));
    if (d.mode === 'Draining') seenDraining = true;
    else if (d.mode === 'Active') {
      if (m !== 'json')
        process.stdout.write(seenDraining ? 'the drain was cancelled: admitting again\n' : 'not draining\n');
      return seenDraining ? EXIT.failed : EXIT.ok;
    } else {
      const left = Number(d.inflight_count ?? 0);
      if (m !== 'json')
        process.stdout.write(
          left
            ? `${String(d.mode)} by force: ${left} intents still inflight (they keep running)\n`
            : `${String(d.mode)}: no intent inflight; ready for the upgrade\n`,
        );
      return EXIT.ok;
    }
    await sleep(opts.intervalMs);
  }
}
