import type { ProtocolServices } from '../lambdas/compose/protocol-services.ts';

/**
 * What the per-minute rule does on AWS, every `everyMs` here: one step of the unfinished protocol rollout. Ticks
 * never overlap (the next is armed when one ends); everything is read from DynamoDB each time, so a restart goes on
 * where the last run stopped. A failing tick is logged once per distinct message and tried again.
 */
export function startProtocolTicker(
  protocol: ProtocolServices,
  everyMs: number,
  log: (line: string) => void,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<void> = Promise.resolve();
  let lastError = '';
  const once = async () => {
    try {
      const report = await protocol.tick();
      for (const phase of report?.entered ?? []) log(`protocol rollout ${report?.id} entered ${phase}`);
      lastError = '';
    } catch (err) {
      const message = (err as Error).message;
      if (message !== lastError)
        log(`protocol rollout tick failed (tried again in ${everyMs} ms): ${message}`);
      lastError = message;
    }
  };
  const arm = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      current = once().then(arm);
    }, everyMs);
    timer.unref();
  };
  arm();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
