// What every entry point of these contracts reads and answers: the block time from `env`,
// the sender from `info`, a message of the form {"<name>": <body>}, ids and addresses, and
// ContractResult JSON (a Response with attributes, an error, or a query's answer).
import { addr_validate } from './env';
import { isU64, parseU64 } from './fields';
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { JsonKind, JsonValue, parseJson, quote } from './json';
import { readRegionString, stringToRegion } from './region';

const NANOS_PER_SECOND: u64 = 1_000_000_000;
const MAX_ID_LENGTH: i32 = 128;

/** What an entry point needs from `env`: block height and time (seconds). */
export class BlockEnv {
  height: u64 = 0;
  time: u64 = 0;
  error: string = '';
}

export function memberOf(value: JsonValue | null, key: string): JsonValue | null {
  return value === null ? null : value.get(key);
}

export function readEnv(json: string): BlockEnv {
  const env = new BlockEnv();
  const parsed = parseJson(json);
  const block = memberOf(parsed.value, 'block');
  const time = memberOf(block, 'time');
  const height = memberOf(block, 'height');
  if (time === null || !isU64(time.text) || height === null || !isU64(height.text)) {
    env.error = 'Invalid env: expected block.time (nanoseconds) and block.height';
    return env;
  }
  env.time = parseU64(time.text) / NANOS_PER_SECOND;
  env.height = parseU64(height.text);
  return env;
}

export function readSender(json: string): string | null {
  const sender = memberOf(parseJson(json).value, 'sender');
  if (sender === null || sender.kind !== JsonKind.String) return null;
  return sender.text;
}

export function errorResult(message: string): string {
  return `{"error":${quote(message)}}`;
}

/** A successful `Response` with attributes and messages (fire-and-forget submessages), no events or data. */
export class ResponseBuilder {
  attributes: string[] = [];
  messages: string[] = [];

  add(key: string, value: string): ResponseBuilder {
    this.attributes.push(`{"key":${quote(key)},"value":${quote(value)}}`);
    return this;
  }

  /** Adds a `CosmosMsg` (JSON text) as a CosmWasm 1.x `SubMsg` with id 0 that never replies. */
  message(cosmosMsgJson: string): ResponseBuilder {
    this.messages.push(`{"id":0,"msg":${cosmosMsgJson},"gas_limit":null,"reply_on":"never"}`);
    return this;
  }

  result(): string {
    const messages = this.messages.join(',');
    return `{"ok":{"messages":[${messages}],"attributes":[${this.attributes.join(',')}],"events":[],"data":null}}`;
  }
}

/** A message of the form `{"<name>": <body>}` (or `"<name>"`). */
export class Variant {
  name: string = '';
  body: JsonValue | null = null;
  error: string = '';
}

export function readVariant(json: string, what: string): Variant {
  const variant = new Variant();
  const parsed = parseJson(json);
  const root = parsed.value;
  if (root === null) {
    variant.error = `Invalid ${what}: ${parsed.error}`;
  } else if (root.kind === JsonKind.String) {
    variant.name = root.text;
  } else if (root.kind === JsonKind.Object && root.keys.length === 1) {
    variant.name = root.keys[0];
    variant.body = root.items[0];
  } else {
    variant.error = `Invalid ${what}: expected an object with exactly one key naming the message`;
  }
  return variant;
}

/** Ids (of a settlement, an escrow): 1-128 characters from A-Z a-z 0-9 - _ . : */
export function checkId(id: string, what: string): string {
  if (id.length === 0 || id.length > MAX_ID_LENGTH) {
    return `Invalid ${what} id: must be 1 to ${MAX_ID_LENGTH.toString()} characters long`;
  }
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    const ok =
      (c >= 48 && c <= 57) ||
      (c >= 65 && c <= 90) ||
      (c >= 97 && c <= 122) ||
      c === 45 ||
      c === 95 ||
      c === 46 ||
      c === 58;
    if (!ok) return `Invalid ${what} id '${id}': only letters, digits and - _ . : are allowed`;
  }
  return '';
}

export function checkAddress(field: string, address: string): string {
  const failure = addr_validate(stringToRegion(address));
  if (failure === 0) return '';
  return `Invalid ${field} address '${address}': ${readRegionString(failure)}`;
}

/** A query's JSON answer, or an error. */
export class QueryOutcome {
  json: string = '';
  error: string = '';
}

export function queryError(message: string): QueryOutcome {
  const outcome = new QueryOutcome();
  outcome.error = message;
  return outcome;
}

export function queryOk(json: string): QueryOutcome {
  const outcome = new QueryOutcome();
  outcome.json = json;
  return outcome;
}
