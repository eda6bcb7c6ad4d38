import { gunzipSync } from 'node:zlib';
import { pubkeyToAddress } from '@cosmjs/amino';
import { Secp256k1, Secp256k1Signature, sha256 } from '@cosmjs/crypto';
import { toBase64 } from '@cosmjs/encoding';
import { makeSignBytes } from '@cosmjs/proto-signing';
import { PubKey } from 'cosmjs-types/cosmos/crypto/secp256k1/keys';
import { AuthInfo, SignDoc, TxBody, TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import {
  MsgExecuteContract,
  MsgInstantiateContract,
  MsgMigrateContract,
  MsgStoreCode,
} from 'cosmjs-types/cosmwasm/wasm/v1/tx';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { SimulatedChain } from '../../../shared/adapters/chain/simulated-chain.ts';
import { isChainError } from '../../../shared/chain/chain-error.ts';
import type { ChainEvent } from '../../../shared/chain/chain-port.ts';
import type { Ledger } from './ledger.ts';

/** What a node answers for a transaction: ABCI code 0 is success; the others carry wasmd-like logs. */
export interface TxOutcome {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  readonly events: readonly ChainEvent[];
  readonly gasWanted: number;
  readonly gasUsed: number;
}

const failure = (code: number, codespace: string, log: string): TxOutcome => ({
  code,
  codespace,
  log,
  events: [],
  gasWanted: 0,
  gasUsed: 0,
});

/** A message the node can run: its sender and what it does on the chain, with the events it emits. */
interface Runnable {
  readonly sender: string;
  run(chain: SimulatedChain): Promise<readonly ChainEvent[]>;
  /** The checks a node makes before running (simulate answers with these only). */
  precheck(chain: SimulatedChain): Promise<void>;
}

const json = (bytes: Uint8Array) =>
  JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
const attrs = (type: string, pairs: Record<string, string>): ChainEvent => ({
  type,
  attributes: Object.entries(pairs).map(([key, value]) => ({ key, value })),
});

/** The wasm messages the control plane sends, decoded; any other type is refused as a real node refuses it. */
export function decodeMessage(any: Any): Runnable {
  switch (any.typeUrl) {
    case '/cosmwasm.wasm.v1.MsgStoreCode': {
      const m = MsgStoreCode.decode(any.value);
      return {
        sender: m.sender,
        precheck: async () => {},
        run: async (chain) => {
          const code = await chain.upload(gunzipSync(m.wasmByteCode));
          return [attrs('store_code', { code_checksum: code.checksum, code_id: String(code.codeId) })];
        },
      };
    }
    case '/cosmwasm.wasm.v1.MsgInstantiateContract': {
      const m = MsgInstantiateContract.decode(any.value);
      const codeId = Number(m.codeId);
      return {
        sender: m.sender,
        precheck: async (chain) => void (await chain.codeDetails(codeId)),
        run: async (chain) => {
          const { address } = await chain.instantiate(codeId, json(m.msg), m.label, {
            ...(m.admin ? { admin: m.admin } : {}),
            ...(m.funds.length ? { funds: m.funds } : {}),
          });
          return [attrs('instantiate', { _contract_address: address, code_id: String(codeId) })];
        },
      };
    }
    case '/cosmwasm.wasm.v1.MsgExecuteContract': {
      const m = MsgExecuteContract.decode(any.value);
      return {
        sender: m.sender,
        precheck: async (chain) => void (await chain.contractInfo(m.contract)),
        run: async (chain) =>
          (await chain.execute(m.contract, json(m.msg), m.funds.length ? m.funds : undefined)).events ?? [],
      };
    }
    case '/cosmwasm.wasm.v1.MsgMigrateContract': {
      const m = MsgMigrateContract.decode(any.value);
      const codeId = Number(m.codeId);
      return {
        sender: m.sender,
        precheck: async (chain) => {
          const info = await chain.contractInfo(m.contract);
          await chain.codeDetails(codeId);
          if (info.admin !== m.sender)
            throw Object.assign(new Error(`requires migrate from admin: unauthorized`), { abci: 4 });
        },
        run: async (chain) => [
          attrs('migrate', { _contract_address: m.contract, code_id: String(codeId) }),
          ...((await chain.migrate(m.contract, codeId, json(m.msg))).events ?? []),
        ],
      };
    }
    default:
      throw Object.assign(new Error(`unrecognized message type: ${any.typeUrl}: unknown request`), {
        abci: 6,
      });
  }
}

/** A failed message as wasmd words it (the control plane classifies errors by these words). */
export function messageFailure(error: unknown): TxOutcome {
  const abci = (error as { abci?: number }).abci;
  const text = error instanceof Error ? error.message : String(error);
  if (abci !== undefined) return failure(abci, 'sdk', `failed to execute message; message index: 0: ${text}`);
  if (isChainError(error, 'unauthorized'))
    return failure(4, 'sdk', `failed to execute message; message index: 0: ${text}: unauthorized`);
  if (isChainError(error, 'not_found')) {
    const what = /code/i.test(text) ? 'no such code' : 'no such contract';
    return failure(22, 'wasm', `failed to execute message; message index: 0: ${text}: ${what}`);
  }
  return failure(
    5,
    'wasm',
    `failed to execute message; message index: 0: ${text}: execute wasm contract failed`,
  );
}

/** True when `signature` (64 bytes, r and s) signs `hash` for `pubkey`; a malformed one is simply not valid. */
function validSignature(signature: Uint8Array | undefined, hash: Uint8Array, pubkey: Uint8Array): boolean {
  try {
    return Secp256k1.verifySignature(
      Secp256k1Signature.fromFixedLength(signature ?? new Uint8Array()),
      hash,
      pubkey,
    );
  } catch {
    return false;
  }
}

/** A decoded, signature-checked transaction: its messages and the signer's account. */
interface CheckedTx {
  readonly messages: readonly Runnable[];
  readonly signer: string;
  readonly sequence: bigint;
  readonly gasLimit: number;
}

/**
 * CheckTx as the ante handler does it: one secp256k1 signer whose address sends every message, the account's
 * current sequence, and a signature over SIGN_MODE_DIRECT's sign doc for this chain id and account number.
 */
export function checkTx(
  txBytes: Uint8Array,
  ledger: Ledger,
  opts: { verifySignature: boolean },
): CheckedTx | TxOutcome {
  let raw: TxRaw;
  let body: TxBody;
  let auth: AuthInfo;
  try {
    raw = TxRaw.decode(txBytes);
    body = TxBody.decode(raw.bodyBytes);
    auth = AuthInfo.decode(raw.authInfoBytes);
  } catch (error) {
    return failure(2, 'sdk', `tx parse error: ${String(error)}`);
  }
  const info = auth.signerInfos[0];
  if (auth.signerInfos.length !== 1 || info?.publicKey === undefined)
    return failure(4, 'sdk', 'exactly one signer with a public key is required: unauthorized');
  const pubkey = PubKey.decode(info.publicKey.value).key;
  const signer = pubkeyToAddress(
    { type: 'tendermint/PubKeySecp256k1', value: toBase64(pubkey) },
    ledger.prefix,
  );
  let messages: Runnable[];
  try {
    messages = body.messages.map(decodeMessage);
  } catch (error) {
    return messageFailure(error);
  }
  const stranger = messages.find((m) => m.sender !== signer);
  if (stranger)
    return failure(8, 'sdk', `pubKey does not match signer address ${stranger.sender}: invalid pubkey`);
  const account = ledger.account(signer);
  if (info.sequence !== account.sequence)
    return failure(
      32,
      'sdk',
      `account sequence mismatch, expected ${account.sequence}, got ${info.sequence}: incorrect account sequence`,
    );
  if (opts.verifySignature) {
    const doc = SignDoc.fromPartial({
      bodyBytes: raw.bodyBytes,
      authInfoBytes: raw.authInfoBytes,
      chainId: ledger.chainId,
      accountNumber: account.number,
    });
    if (!validSignature(raw.signatures[0], sha256(makeSignBytes(doc)), pubkey))
      return failure(
        4,
        'sdk',
        `signature verification failed; please verify account number (${account.number}) and chain-id (${ledger.chainId}): unauthorized`,
      );
  }
  return { messages, signer, sequence: info.sequence, gasLimit: Number(auth.fee?.gasLimit ?? 0n) };
}
