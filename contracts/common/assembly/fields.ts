// Typed access to the members of a JSON message object, collecting the first error.
// Unknown members are rejected (like `deny_unknown_fields` in cw_serde), so that a
// misspelt option such as `preserve_inflght` cannot silently fall back to a default.
// biome-ignore lint/style/useImportType: AssemblyScript has no type-only imports
import { JsonKind, JsonValue } from './json';

const U64_MAX_TEXT = '18446744073709551615';
const U128_MAX_TEXT = '340282366920938463463374607431768211455';

export class Fields {
  value: JsonValue | null;
  context: string;
  error: string = '';
  seen: string[] = [];

  /** `value` may be JSON null or absent for messages without fields, e.g. `{"config": {}}`. */
  constructor(value: JsonValue | null, context: string) {
    this.context = context;
    this.value = value;
    if (value !== null && value.kind !== JsonKind.Object && value.kind !== JsonKind.Null) {
      this.fail('expected a JSON object');
    }
  }

  get failed(): bool {
    return this.error.length > 0;
  }

  fail(message: string): void {
    if (this.error.length === 0) this.error = `Invalid ${this.context}: ${message}`;
  }

  /** The member `key`, or null when absent or JSON null. */
  member(key: string): JsonValue | null {
    this.seen.push(key);
    const value = this.value;
    if (value === null) return null;
    const member = value.get(key);
    if (member === null || member.kind === JsonKind.Null) return null;
    return member;
  }

  has(key: string): bool {
    return this.member(key) !== null;
  }

  optionalString(key: string): string | null {
    const member = this.member(key);
    if (member === null) return null;
    if (member.kind !== JsonKind.String) {
      this.fail(`field '${key}' must be a string`);
      return null;
    }
    return member.text;
  }

  requiredString(key: string): string {
    const text = this.optionalString(key);
    if (text === null) {
      this.missing(key);
      return '';
    }
    return text;
  }

  requiredBool(key: string): bool {
    const member = this.member(key);
    if (member === null) {
      this.missing(key);
      return false;
    }
    if (member.kind !== JsonKind.Bool) {
      this.fail(`field '${key}' must be a boolean`);
      return false;
    }
    return member.boolValue;
  }

  optionalBool(key: string, fallback: bool): bool {
    if (!this.has(key)) return fallback;
    return this.requiredBool(key);
  }

  /** A non-negative integer that fits in u64 (a JSON number, or a decimal string as for `Uint64`). */
  requiredU64(key: string): u64 {
    const member = this.member(key);
    if (member === null) {
      this.missing(key);
      return 0;
    }
    if (member.kind !== JsonKind.Number && member.kind !== JsonKind.String) {
      this.fail(`field '${key}' must be a non-negative integer`);
      return 0;
    }
    if (!isDecimal(member.text, U64_MAX_TEXT)) {
      this.fail(`field '${key}' must be a non-negative integer below 2^64`);
      return 0;
    }
    return parseU64(member.text);
  }

  optionalU64(key: string, fallback: u64): u64 {
    if (!this.has(key)) return fallback;
    return this.requiredU64(key);
  }

  /** A `Uint128`: a decimal string (not a JSON number), as CosmWasm serialises it. */
  optionalUint128(key: string): string | null {
    const member = this.member(key);
    if (member === null) return null;
    if (member.kind !== JsonKind.String || !isDecimal(member.text, U128_MAX_TEXT)) {
      this.fail(`field '${key}' must be a Uint128 decimal string`);
      return null;
    }
    return member.text;
  }

  missing(key: string): void {
    this.fail(`missing field '${key}'`);
  }

  /** Fails on members that no accessor asked for. Call after reading every field. */
  finish(): bool {
    const value = this.value;
    if (value !== null && value.kind === JsonKind.Object) {
      for (let i = 0; i < value.keys.length; i++) {
        const key = value.keys[i];
        if (!this.seen.includes(key)) {
          this.fail(`unknown field '${key}'`);
          break;
        }
      }
    }
    return !this.failed;
  }
}

/** True when `text` is a canonical decimal integer (no sign, no leading zeros) not above `maxText`. */
export function isDecimal(text: string, maxText: string): bool {
  const length = text.length;
  if (length === 0 || length > maxText.length) return false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (length > 1 && text.charCodeAt(0) === 48) return false;
  if (length === maxText.length && text > maxText) return false;
  return true;
}

/** Parses a decimal string already checked with `isDecimal` against the u64 maximum. */
export function parseU64(text: string): u64 {
  let value: u64 = 0;
  for (let i = 0; i < text.length; i++) {
    value = value * 10 + <u64>(text.charCodeAt(i) - 48);
  }
  return value;
}

/** True when `text` is a canonical decimal that fits in u64. */
export function isU64(text: string): bool {
  return isDecimal(text, U64_MAX_TEXT);
}

/** True when `a + b` does not fit in u64. */
export function addOverflows(a: u64, b: u64): bool {
  return a > U64.MAX_VALUE - b;
}
