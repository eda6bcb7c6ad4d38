// IBC from a contract: the `IbcMsg::Transfer` a contract sends (CosmWasm 1.x JSON), and the
// options a message gives for one: {"channel_id", "to_address", "timeout_seconds"}.
import { Fields } from './fields';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { JsonValue, quote } from './json';

const NANOS_PER_SECOND: u64 = 1_000_000_000;
const MAX_CHANNEL_ID_LENGTH: i32 = 64;
const MAX_RECEIVER_LENGTH: i32 = 256;

/** Where and how to send funds over IBC: our channel, the receiver on the other chain and the timeout. */
export class IbcTransferOptions {
  channel_id: string = '';
  to_address: string = '';
  timeout_seconds: u64 = 0;
  error: string = '';
}

/** Reads `{"channel_id", "to_address", "timeout_seconds"}` (all required) from `value`. */
export function readIbcTransferOptions(value: JsonValue, context: string): IbcTransferOptions {
  const options = new IbcTransferOptions();
  const fields = new Fields(value, context);
  options.channel_id = fields.requiredString('channel_id');
  options.to_address = fields.requiredString('to_address');
  options.timeout_seconds = fields.requiredU64('timeout_seconds');
  if (!fields.finish()) {
    options.error = fields.error;
  } else if (options.channel_id.length === 0 || options.channel_id.length > MAX_CHANNEL_ID_LENGTH) {
    options.error = `Invalid ${context}: channel_id must be 1 to ${MAX_CHANNEL_ID_LENGTH.toString()} characters`;
  } else if (options.to_address.length === 0 || options.to_address.length > MAX_RECEIVER_LENGTH) {
    options.error = `Invalid ${context}: to_address must be 1 to ${MAX_RECEIVER_LENGTH.toString()} characters`;
  } else if (options.timeout_seconds === 0) {
    options.error = `Invalid ${context}: timeout_seconds must be greater than zero`;
  }
  return options;
}

/**
 * The timeout of a transfer sent at `blockSeconds`, in nanoseconds since the epoch, or 0 when it
 * does not fit in a u64.
 */
export function timeoutNanos(blockSeconds: u64, timeoutSeconds: u64): u64 {
  const maxSeconds = U64.MAX_VALUE / NANOS_PER_SECOND;
  if (blockSeconds > maxSeconds || timeoutSeconds > maxSeconds - blockSeconds) return 0;
  return (blockSeconds + timeoutSeconds) * NANOS_PER_SECOND;
}

/** `{"ibc":{"transfer":...}}` with a timestamp timeout (nanoseconds), as a `CosmosMsg`'s JSON text. */
export function ibcTransferMessage(
  options: IbcTransferOptions,
  denom: string,
  amount: string,
  nanos: u64,
): string {
  const coin = `{"denom":${quote(denom)},"amount":${quote(amount)}}`;
  const timeout = `{"block":null,"timestamp":${quote(nanos.toString())}}`;
  return `{"ibc":{"transfer":{"channel_id":${quote(options.channel_id)},"to_address":${quote(options.to_address)},"amount":${coin},"timeout":${timeout}}}}`;
}
