// The CosmWasm Region ABI: a 12-byte struct { offset: u32, capacity: u32, length: u32 }
// (little-endian) describing bytes in linear memory. The host asks us to allocate
// Regions for its inputs and reads the Regions we return.
import { abort as hostAbort } from './env';

const REGION_SIZE: usize = 12;

/** Allocates a Region with room for `capacity` bytes and length 0. */
export function allocateRegion(capacity: u32): u32 {
  const data = heap.alloc(<usize>capacity);
  return newRegion(<u32>data, capacity, 0);
}

/** Builds a Region struct that points at existing bytes. */
export function newRegion(offset: u32, capacity: u32, length: u32): u32 {
  const region = heap.alloc(REGION_SIZE);
  store<u32>(region, offset, 0);
  store<u32>(region, capacity, 4);
  store<u32>(region, length, 8);
  return <u32>region;
}

/** Decodes the UTF-8 bytes a Region points at. */
export function readRegionString(region: u32): string {
  const offset = load<u32>(<usize>region, 0);
  const length = load<u32>(<usize>region, 8);
  return String.UTF8.decodeUnsafe(<usize>offset, <usize>length);
}

/** Encodes a string as UTF-8 and returns a Region pointing at the bytes. */
export function stringToRegion(text: string): u32 {
  const bytes = String.UTF8.encode(text);
  const length = <u32>bytes.byteLength;
  return newRegion(changetype<u32>(bytes), length, length);
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Wraps a JSON document as a successful query result, `{"ok":"<base64 of the JSON>"}`,
 * writing the bytes straight into a new Region.
 */
export function queryOkRegion(json: string): u32 {
  const input = String.UTF8.encode(json);
  const source = changetype<usize>(input);
  const inputLength = <usize>input.byteLength;
  const prefix = '{"ok":"';
  const encodedLength = ((inputLength + 2) / 3) * 4;
  const total = <usize>prefix.length + encodedLength + 2;
  const out = heap.alloc(total);
  let at = out;
  for (let i = 0; i < prefix.length; i++) {
    store<u8>(at++, <u8>prefix.charCodeAt(i));
  }
  const alphabet = changetype<usize>(BASE64_ALPHABET);
  let i: usize = 0;
  for (; i + 2 < inputLength; i += 3) {
    const n =
      ((<u32>load<u8>(source + i)) << 16) | ((<u32>load<u8>(source + i + 1)) << 8) | load<u8>(source + i + 2);
    store<u8>(at++, <u8>load<u16>(alphabet + (((n >> 18) & 63) << 1)));
    store<u8>(at++, <u8>load<u16>(alphabet + (((n >> 12) & 63) << 1)));
    store<u8>(at++, <u8>load<u16>(alphabet + (((n >> 6) & 63) << 1)));
    store<u8>(at++, <u8>load<u16>(alphabet + ((n & 63) << 1)));
  }
  const rest = inputLength - i;
  if (rest > 0) {
    let n = (<u32>load<u8>(source + i)) << 16;
    if (rest === 2) n |= (<u32>load<u8>(source + i + 1)) << 8;
    store<u8>(at++, <u8>load<u16>(alphabet + (((n >> 18) & 63) << 1)));
    store<u8>(at++, <u8>load<u16>(alphabet + (((n >> 12) & 63) << 1)));
    store<u8>(at++, rest === 2 ? <u8>load<u16>(alphabet + (((n >> 6) & 63) << 1)) : 61);
    store<u8>(at++, 61);
  }
  store<u8>(at++, 34);
  store<u8>(at++, 125);
  return newRegion(<u32>out, <u32>total, <u32>total);
}

/**
 * Replaces AssemblyScript's own `abort` (selected with `--use abort=...` at build time):
 * forwards the message to the CosmWasm `env.abort` import, which fails the call.
 */
export function contractAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let text = `contract aborted: ${message === null ? 'unknown error' : message}`;
  if (fileName !== null) {
    text += ` at ${fileName}:${line.toString()}:${column.toString()}`;
  }
  hostAbort(stringToRegion(text));
  unreachable();
}
