import { CosmjsChain } from '../../shared/adapters/chain/cosmjs-chain.ts';
import { FileSignerSource } from '../../shared/adapters/chain/file-signer.ts';
import { SecretsManagerSigner } from '../../shared/adapters/chain/secrets-manager-signer.ts';
import type { Config } from '../../shared/config.ts';
import { useChain } from '../../shared/control-plane.ts';
import { runtime } from '../http/runtime.ts';
import { type StepFn, workflowTask } from './workflow-task.ts';

let wiredFor: Config | null = null;

/**
 * A real chain through CosmJS when CHAIN_* is set (AWS): signed with the mnemonic from Secrets Manager, or from the
 * data folder. Registered once per configuration; without CHAIN_* the embedded runtime has registered its
 * simulated chain already.
 */
function wireChain(config: Config): void {
  if (wiredFor === config) return;
  wiredFor = config;
  const c = config.chain;
  if (!c) return;
  const chain = new CosmjsChain(
    {
      rpcEndpoint: c.rpcEndpoint,
      chainId: c.chainId,
      prefix: c.prefix,
      gasPrice: c.gasPrice,
      gasAdjustment: c.gasAdjustment,
      broadcastPollMs: c.broadcastPollMs,
    },
    c.signerSecretId ? new SecretsManagerSigner(c.signerSecretId) : new FileSignerSource(c.dataDir),
  );
  useChain(() => chain);
}

/**
 * A workflow Task that talks to the chain (its entry in the workflow table says `chain: true`). Only these
 * handlers import CosmJS and the signer, so every other function's bundle goes without them.
 */
export function chainTask(label: string, step: StepFn, opts: { pollingStep?: boolean } = {}) {
  const task = workflowTask(label, step, opts);
  return (event: Parameters<typeof task>[0]): Promise<unknown> => {
    wireChain(runtime().config);
    return task(event);
  };
}
