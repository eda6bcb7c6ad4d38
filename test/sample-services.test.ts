import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../local/engines/free-port.ts';
import { startSampleServices } from '../local/sample-services/sample-services.ts';

// The sample services as a process of their own (what npm start runs): real processes, real HTTP, state on disk.
const dir = mkdtempSync(join(tmpdir(), 'ucp-services-'));
const services = 'orchestrator:2,relayer:1';
let basePort = 0;
const started: Awaited<ReturnType<typeof startSampleServices>>[] = [];
const start = async () => {
  basePort ||= await freePort();
  const s = await startSampleServices({ dir, basePort, services, restartMs: 50 });
  started.push(s);
  return s;
};
afterAll(async () => {
  for (const s of started) s.kill();
  rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const getJson = async (url: string) => (await fetch(url)).json() as Promise<Record<string, string>>;

describe('the sample services process', () => {
  it('serves each service on fixed ports, and a replica keeps its version across a kill -9 of the process', async () => {
    const s = await start();
    expect(s.adopted).toBe(false);
    expect(Object.keys(s.targets)).toEqual(['orchestrator', 'relayer']);
    const [first] = s.targets.orchestrator ?? [];
    if (!first) throw new Error('no orchestrator replica');
    expect(first.version_url).toBe(`http://127.0.0.1:${basePort + 1}/version`);
    await fetch(first.deploy_url, { method: 'POST', body: JSON.stringify({ version: '2.0.0' }) });
    await sleep(120);
    expect(await getJson(first.version_url)).toEqual({ version: '2.0.0' });
    s.kill();
    await sleep(200);
    await expect(fetch(first.version_url)).rejects.toThrow();
    const again = await start();
    expect(again.adopted).toBe(false);
    expect(await getJson(first.version_url)).toEqual({ version: '2.0.0' });
    expect(await again.versions()).toEqual({
      'orchestrator/orchestrator-1': '2.0.0',
      'orchestrator/orchestrator-2': '1.0.0',
      'relayer/relayer-1': '1.0.0',
    });
  });

  it('is adopted, not started twice, by a second starter; a starter of another data folder is refused', async () => {
    const running = started.at(-1);
    const s = await start();
    expect(s.adopted).toBe(true);
    expect(s.pid).toBe(running?.pid);
    await expect(startSampleServices({ dir: `${dir}-other`, basePort, services })).rejects.toThrow(
      /serves the sample services of .*: set SAMPLE_SERVICES_PORT/,
    );
  });

  it('outlives the process that started it', async () => {
    await started.at(-1)?.stop();
    const script = `import { startSampleServices } from './local/sample-services/sample-services.ts';
      await startSampleServices({ dir: ${JSON.stringify(dir)}, basePort: ${basePort}, services: ${JSON.stringify(services)} });
      console.log('STARTED'); setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((ok) =>
      child.stdout?.on('data', (b: Buffer) => b.toString().includes('STARTED') && ok()),
    );
    child.kill('SIGKILL');
    await sleep(300);
    const s = await start();
    expect(s.adopted).toBe(true); // still running, though its starter is gone
    expect((await getJson(s.targets.relayer?.[0]?.health_url ?? '')).status).toBe('Healthy');
  });

  it('takes faults and versions through its control endpoint', async () => {
    const s = await start();
    const relayer = s.targets.relayer?.[0];
    if (!relayer) throw new Error('no relayer replica');
    await s.setFault('relayer/relayer-1', 'unhealthy_after_deploy');
    await fetch(relayer.deploy_url, { method: 'POST', body: JSON.stringify({ version: '2.0.0' }) });
    await sleep(120);
    const health = await fetch(relayer.health_url);
    expect(health.status).toBe(503);
    await s.setVersion('relayer/relayer-1', '1.0.0');
    expect(await getJson(relayer.version_url)).toEqual({ version: '1.0.0' });
    expect((await fetch(relayer.health_url)).status).toBe(200); // faults apply to new versions only
    await s.stop();
    await expect(fetch(relayer.version_url)).rejects.toThrow();
  });
});

describe("the sample services process's relayer", () => {
  it('relays the chain packets through the RPC named in its URL file, and follows the file to a new endpoint', async () => {
    const { SimulatedChain } = await import('../shared/adapters/chain/simulated-chain.ts');
    const { startChainRpc } = await import('../local/engines/chain-rpc/rpc-server.ts');
    const { writeFileSync } = await import('node:fs');
    const relayDir = mkdtempSync(join(tmpdir(), 'ucp-relayer-'));
    const urlFile = join(relayDir, 'chain-rpc-url');
    const chain = SimulatedChain.create();
    const send = () =>
      chain.ibc.send({
        source_port: 'transfer',
        source_channel: 'channel-0',
        data: Buffer.from('{}').toString('base64'),
        timeout_height: { revision_number: 0, revision_height: 0 },
        timeout_timestamp: String(BigInt(Date.now() + 3_600_000) * 1_000_000n),
      });
    const first = await startChainRpc(chain);
    writeFileSync(urlFile, first.url);
    const port = await freePort();
    const s = await startSampleServices({
      dir: relayDir,
      basePort: port,
      services: 'relayer:1',
      chainRpcUrlFile: urlFile,
    });
    const relayed = async (sequence: number) => {
      for (let i = 0; i < 100 && chain.ibc.commitment('transfer', 'channel-0', sequence); i++)
        await sleep(100);
      return chain.ibc.commitment('transfer', 'channel-0', sequence) === undefined;
    };
    try {
      expect(await relayed(send().sequence)).toBe(true);
      // The control plane restarted elsewhere: a new endpoint, named in the same file.
      await first.stop();
      const second = await startChainRpc(chain);
      writeFileSync(urlFile, second.url);
      expect(await relayed(send().sequence)).toBe(true);
      expect(chain.ibc.acknowledgement('transfer', 'channel-7', 2)).toBeDefined();
      await second.stop();
    } finally {
      await s.stop();
      rmSync(relayDir, { recursive: true, force: true });
    }
  });
});
