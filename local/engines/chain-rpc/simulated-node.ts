import { createHash } from 'node:crypto';
import { fromHex } from '@cosmjs/encoding';
import { BaseAccount } from 'cosmjs-types/cosmos/auth/v1beta1/auth';
import { QueryAccountRequest, QueryAccountResponse } from 'cosmjs-types/cosmos/auth/v1beta1/query';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import {
  QueryCodeRequest,
  QueryCodeResponse,
  QueryContractInfoRequest,
  QueryContractInfoResponse,
  QuerySmartContractStateRequest,
  QuerySmartContractStateResponse,
} from 'cosmjs-types/cosmwasm/wasm/v1/query';
import { AccessType } from 'cosmjs-types/cosmwasm/wasm/v1/types';
import type { SimulatedChain } from '../../../shared/adapters/chain/simulated-chain.ts';
import { isChainError } from '../../../shared/chain/chain-error.ts';
import { checkTx, messageFailure, type TxOutcome } from './deliver-tx.ts';
import { ibcQuery } from './ibc-queries.ts';
import { type IncludedTx, Ledger } from './ledger.ts';

/** An ABCI query's answer: code 0 and the response bytes, or a code and a log as the node words it. */
export interface QueryAnswer {
  readonly code: number;
  readonly value: Uint8Array;
  readonly log: string;
}

const ok = (value: Uint8Array): QueryAnswer => ({ code: 0, value, log: '' });
const refused = (code: number, log: string): QueryAnswer => ({ code, value: new Uint8Array(), log });
/** Gas a simulation reports: a flat figure plus the message bytes (the simulated chain meters no gas). */
const SIMULATED_GAS = 150_000;

/**
 * A CometBFT node's view of a {@link SimulatedChain}: the ABCI queries CosmJS makes (accounts, simulate, contract
 * state, contract and code info, IBC channel and packet state: ibc-queries.ts, for both ends of the chain's one
 * channel) and transactions checked as the ante handler checks them (signature over this
 * chain id and account number, sequence), then run on the chain, one block each.
 */
export class SimulatedNode {
  readonly ledger: Ledger;
  /** Transactions run one at a time: the chain's VM is not re-entrant. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly chain: SimulatedChain,
    chainId: string,
    prefix: string,
  ) {
    this.ledger = new Ledger(chainId, prefix);
  }

  async query(path: string, data: Uint8Array): Promise<QueryAnswer> {
    try {
      return await this.answer(path, data);
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      if (isChainError(error, 'not_found')) {
        const what = /code/i.test(text) ? 'no such code' : 'no such contract';
        return refused(5, `rpc error: code = NotFound desc = ${text}: ${what}: not found`);
      }
      return refused(6, `rpc error: code = Unknown desc = ${text}: query wasm contract failed`);
    }
  }

  /** broadcast_tx_sync: CheckTx, then (when it passes) the transaction is delivered in a block of its own. */
  broadcast(txBytes: Uint8Array): Promise<{ hash: string; check: TxOutcome }> {
    return this.inTurn(() => this.deliver(txBytes));
  }

  tx(hash: string): IncludedTx | undefined {
    return this.ledger.tx(hash);
  }

  /**
   * A relayer's MsgRecvPacket on the counterparty then MsgAcknowledgement here, in one step (no proofs): see
   * `SimulatedIbc.relay`. Runs in turn with transactions.
   */
  relayPacket(port: string, channel: string, sequence: number): Promise<void> {
    return this.inTurn(() => {
      this.chain.ibc.relay(port, channel, sequence);
    });
  }

  /** A relayer's MsgTimeout (no proofs): see `SimulatedIbc.timeout`. Runs in turn with transactions. */
  timeoutPacket(port: string, channel: string, sequence: number): Promise<void> {
    return this.inTurn(() => {
      this.chain.ibc.timeout(port, channel, sequence);
    });
  }

  private inTurn<T>(step: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(step);
    this.queue = run.catch(() => {});
    return run;
  }

  private async deliver(txBytes: Uint8Array): Promise<{ hash: string; check: TxOutcome }> {
    const hash = createHash('sha256').update(txBytes).digest('hex').toUpperCase();
    const checked = checkTx(txBytes, this.ledger, { verifySignature: true });
    if ('code' in checked) return { hash, check: checked };
    this.ledger.account(checked.signer).sequence += 1n;
    const passed: TxOutcome = { code: 0, codespace: '', log: '', events: [], gasWanted: 0, gasUsed: 0 };
    let outcome: TxOutcome;
    try {
      const events = [];
      for (const message of checked.messages)
        events.push(...(await message.run(this.chain.withSigner(message.sender))));
      const gasUsed = Math.min(checked.gasLimit, SIMULATED_GAS);
      outcome = { ...passed, events, gasWanted: checked.gasLimit, gasUsed };
    } catch (error) {
      outcome = { ...messageFailure(error), gasWanted: checked.gasLimit };
    }
    this.ledger.include(hash, txBytes, outcome);
    return { hash, check: passed };
  }

  private async answer(path: string, data: Uint8Array): Promise<QueryAnswer> {
    const chain = this.chain;
    const ibc = ibcQuery(chain.ibc, this.ledger.height, path, data);
    if (ibc !== undefined) return ibc;
    switch (path) {
      case '/cosmos.auth.v1beta1.Query/Account': {
        const { address } = QueryAccountRequest.decode(data);
        const account = this.ledger.account(address);
        const value = BaseAccount.encode(
          BaseAccount.fromPartial({ address, accountNumber: account.number, sequence: account.sequence }),
        ).finish();
        return ok(
          QueryAccountResponse.encode({
            account: { typeUrl: '/cosmos.auth.v1beta1.BaseAccount', value },
          }).finish(),
        );
      }
      case '/cosmos.tx.v1beta1.Service/Simulate': {
        const { txBytes } = SimulateRequest.decode(data);
        const checked = checkTx(txBytes, this.ledger, { verifySignature: false });
        if ('code' in checked) return refused(checked.code, checked.log);
        for (const message of checked.messages) {
          try {
            await message.precheck(chain);
          } catch (error) {
            return refused(messageFailure(error).code, messageFailure(error).log);
          }
        }
        const gasUsed = BigInt(SIMULATED_GAS + Math.ceil(txBytes.length / 10));
        return ok(SimulateResponse.encode(SimulateResponse.fromPartial({ gasInfo: { gasUsed } })).finish());
      }
      case '/cosmwasm.wasm.v1.Query/SmartContractState': {
        const { address, queryData } = QuerySmartContractStateRequest.decode(data);
        const answer = await chain.query(address, JSON.parse(Buffer.from(queryData).toString('utf8')));
        return ok(
          QuerySmartContractStateResponse.encode({
            data: Buffer.from(JSON.stringify(answer)),
          }).finish(),
        );
      }
      case '/cosmwasm.wasm.v1.Query/ContractInfo': {
        const { address } = QueryContractInfoRequest.decode(data);
        const info = await chain.contractInfo(address);
        const creator = chain.client.app.wasm.getContractInfo(address)?.creator ?? info.admin ?? address;
        return ok(
          QueryContractInfoResponse.encode(
            QueryContractInfoResponse.fromPartial({
              address,
              contractInfo: {
                codeId: BigInt(info.codeId),
                creator,
                admin: info.admin ?? '',
                label: info.label,
              },
            }),
          ).finish(),
        );
      }
      case '/cosmwasm.wasm.v1.Query/Code': {
        const codeId = Number(QueryCodeRequest.decode(data).codeId);
        const code = await chain.codeDetails(codeId);
        const stored = chain.client.app.wasm.getCodeInfo(codeId);
        return ok(
          QueryCodeResponse.encode(
            QueryCodeResponse.fromPartial({
              codeInfo: {
                codeId: BigInt(codeId),
                creator: stored.creator,
                dataHash: fromHex(code.checksum),
                instantiatePermission: { permission: AccessType.ACCESS_TYPE_EVERYBODY, addresses: [] },
              },
              data: stored.wasmCode,
            }),
          ).finish(),
        );
      }
      default:
        return refused(6, `rpc error: code = Unimplemented desc = unknown query path ${path}`);
    }
  }
}
