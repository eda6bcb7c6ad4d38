import { it } from 'vitest';
import { startSampleBackend } from '../local/sample-backend.ts';
import { startTestApi } from './support/api.ts';
import { runUpgrade } from './support/upgrade.ts';

it('debug', async () => {
  const api = await startTestApi();
  const backend = await startSampleBackend({ replicas: 2, version: '1.0.0', restartMs: 100 });
  const run = await runUpgrade(api, {
    target_version: '2.0.0',
    reason: 'x',
    deploy: { mode: 'hooks', targets: backend.targets },
  });
  console.log(
    JSON.stringify((run.upgrade.config as any).components),
    run.steps.map((s) => s.name),
  );
  const h = await api.engine.history(run.started.body.execution_arn as string);
  console.log(h.map((e) => `${e.type} ${e.state}`).join('\n'));
  await backend.stop();
  await api.stop();
});
