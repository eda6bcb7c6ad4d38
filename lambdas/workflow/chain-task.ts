import { CosmjsChain } from '../../shared/adapters/chain/cosmjs-chain.ts';
import { CosmjsIbcReader } from '../../shared/adapters/chain/cosmjs-ibc-reader.ts';
import { FileSignerSource } from '../../shared/adapters/chain/file-signer.ts';
import { SecretsManagerSigner } from '../../shared/adapters/chain/secrets-manager-signer.ts';
import type { ChainPort } from '../../shared/chain/chain-port.ts';
import type { Config } from '../../shared/config.ts';
import { awsEnvironmentWith } from '../compose/aws-environment.ts';
import { type StepFn, workflowTask } from './workflow-task.ts';

/**
 * A real chain through CosmJS when CHAIN_* is set (AWS): signed with the mnemonic from Secrets Manager, or from the
 * data folder. Without CHAIN_* no chain: a contract step fails naming the setting.
 */
function cosmjsChain(config: Config): (() => ChainPort) | undefined {
  const c = config.chain;
  if (!c) return undefined;
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
  return () => chain;
}

/** The AWS environment of a chain Task: its chain is the CosmJS client of its configuration. */
const chainEnvironment = awsEnvironmentWith((env) => {
  const chain = cosmjsChain(env.config);
  const rpc = env.config.chain?.rpcEndpoint;
  const ibc = rpc ? new CosmjsIbcReader(rpc) : undefined;
  return { ...(chain ? { chain } : {}), ...(ibc ? { ibc: () => ibc } : {}) };
});

/**
 * A workflow Task that talks to the chain (its entry in the workflow table says `chain: true`). Only these
 * handlers import CosmJS and the signer, so every other function's bundle goes without them. Bound to another
 * environment (the embedded runtime), it uses that environment's chain.
 */
export function chainTask(
  label: string,
  step: StepFn,
  opts: { pollingStep?: boolean; perComponent?: boolean } = {},
) {
  return workflowTask(label, step, { ...opts, envOf: chainEnvironment });
}
