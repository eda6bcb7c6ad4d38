import { existsSync, readFileSync } from 'node:fs';
import { type RelayLoop, startRelayLoop } from './sample-relayer.ts';
import type { ReplicaFault, ReplicaState } from './sample-replica.ts';
import { isRelaying } from './sample-replica.ts';

/**
 * The relayer replicas of the sample services process, relaying while they run: one relay loop per replica of the
 * service `relayer`, on the chain RPC endpoint named in `urlFile` (written by the embedded stack at each start: a
 * restarted stack may listen elsewhere, so the file is read again every 2 s and the loops follow it).
 */
export function startRelayerReplicas(
  urlFile: string,
  replicas: readonly { key: string }[],
  state: (key: string) => ReplicaState,
  fault: (key: string) => ReplicaFault | undefined,
): { stop(): Promise<void> } {
  let url = '';
  let loops: RelayLoop[] = [];
  const follow = async () => {
    const now = existsSync(urlFile) ? readFileSync(urlFile, 'utf8').trim() : '';
    if (now === url) return;
    url = now;
    await Promise.all(loops.map((l) => l.stop()));
    loops = now
      ? replicas.map((r) =>
          startRelayLoop({ rpcUrl: now, relaying: () => isRelaying(state(r.key), fault(r.key)) }),
        )
      : [];
  };
  void follow();
  const timer = setInterval(() => void follow(), 2000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(loops.map((l) => l.stop()));
    },
  };
}
