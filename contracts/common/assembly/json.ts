// A small JSON reader and writer. Numbers are kept as their literal text and only ever
// converted to integers (no floating point anywhere in the contract).

export enum JsonKind {
  Null,
  Bool,
  Number,
  String,
  Array,
  Object,
}

/** A parsed JSON value. Object members keep their order: `keys[i]` names `items[i]`. */
export class JsonValue {
  kind: JsonKind;
  boolValue: bool = false;
  /** The string's value, or the number's literal text. */
  text: string = '';
  items: JsonValue[] = [];
  keys: string[] = [];

  constructor(kind: JsonKind) {
    this.kind = kind;
  }

  /** The member named `key` of an object, or null when absent (or not an object). */
  get(key: string): JsonValue | null {
    if (this.kind !== JsonKind.Object) return null;
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i] === key) return this.items[i];
    }
    return null;
  }
}

/** The outcome of parsing: a value, or an error message. */
export class ParseResult {
  value: JsonValue | null = null;
  error: string = '';
}

const MAX_DEPTH: i32 = 32;

class Parser {
  source: string;
  pos: i32 = 0;
  error: string = '';

  constructor(source: string) {
    this.source = source;
  }

  fail(message: string): JsonValue | null {
    if (this.error.length === 0) this.error = `${message} at position ${this.pos.toString()}`;
    return null;
  }

  skipWhitespace(): void {
    while (this.pos < this.source.length) {
      const c = this.source.charCodeAt(this.pos);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      this.pos++;
    }
  }

  peek(): i32 {
    return this.pos < this.source.length ? this.source.charCodeAt(this.pos) : -1;
  }

  parseValue(depth: i32): JsonValue | null {
    if (depth > MAX_DEPTH) return this.fail('JSON nested too deeply');
    this.skipWhitespace();
    const c = this.peek();
    if (c === 123) return this.parseObject(depth);
    if (c === 91) return this.parseArray(depth);
    if (c === 34) {
      const text = this.parseString();
      if (text === null) return null;
      const value = new JsonValue(JsonKind.String);
      value.text = text;
      return value;
    }
    if (c === 45 || (c >= 48 && c <= 57)) return this.parseNumber();
    if (this.matchWord('true')) {
      const value = new JsonValue(JsonKind.Bool);
      value.boolValue = true;
      return value;
    }
    if (this.matchWord('false')) return new JsonValue(JsonKind.Bool);
    if (this.matchWord('null')) return new JsonValue(JsonKind.Null);
    return this.fail(c < 0 ? 'unexpected end of JSON' : 'unexpected character in JSON');
  }

  matchWord(word: string): bool {
    if (this.source.length - this.pos < word.length) return false;
    if (this.source.substr(this.pos, word.length) !== word) return false;
    this.pos += word.length;
    return true;
  }

  parseObject(depth: i32): JsonValue | null {
    const value = new JsonValue(JsonKind.Object);
    this.pos++;
    this.skipWhitespace();
    if (this.peek() === 125) {
      this.pos++;
      return value;
    }
    while (true) {
      this.skipWhitespace();
      if (this.peek() !== 34) return this.fail('expected a string key in JSON object');
      const key = this.parseString();
      if (key === null) return null;
      if (value.get(key) !== null) return this.fail(`duplicate key "${key}" in JSON object`);
      this.skipWhitespace();
      if (this.peek() !== 58) return this.fail("expected ':' in JSON object");
      this.pos++;
      const member = this.parseValue(depth + 1);
      if (member === null) return null;
      value.keys.push(key);
      value.items.push(member);
      this.skipWhitespace();
      const c = this.peek();
      this.pos++;
      if (c === 44) continue;
      if (c === 125) return value;
      this.pos--;
      return this.fail("expected ',' or '}' in JSON object");
    }
  }

  parseArray(depth: i32): JsonValue | null {
    const value = new JsonValue(JsonKind.Array);
    this.pos++;
    this.skipWhitespace();
    if (this.peek() === 93) {
      this.pos++;
      return value;
    }
    while (true) {
      const item = this.parseValue(depth + 1);
      if (item === null) return null;
      value.items.push(item);
      this.skipWhitespace();
      const c = this.peek();
      this.pos++;
      if (c === 44) continue;
      if (c === 93) return value;
      this.pos--;
      return this.fail("expected ',' or ']' in JSON array");
    }
  }

  parseNumber(): JsonValue | null {
    const start = this.pos;
    if (this.peek() === 45) this.pos++;
    if (!this.skipDigits()) return this.fail('invalid number in JSON');
    if (this.peek() === 46) {
      this.pos++;
      if (!this.skipDigits()) return this.fail('invalid number in JSON');
    }
    const e = this.peek();
    if (e === 101 || e === 69) {
      this.pos++;
      const sign = this.peek();
      if (sign === 43 || sign === 45) this.pos++;
      if (!this.skipDigits()) return this.fail('invalid number in JSON');
    }
    const value = new JsonValue(JsonKind.Number);
    value.text = this.source.substring(start, this.pos);
    return value;
  }

  skipDigits(): bool {
    const start = this.pos;
    while (this.pos < this.source.length) {
      const c = this.source.charCodeAt(this.pos);
      if (c < 48 || c > 57) break;
      this.pos++;
    }
    return this.pos > start;
  }

  /** Parses a string literal (the cursor is on its opening quote); null on error. */
  parseString(): string | null {
    this.pos++;
    const parts: string[] = [];
    let runStart = this.pos;
    while (true) {
      if (this.pos >= this.source.length) {
        this.fail('unterminated string in JSON');
        return null;
      }
      const c = this.source.charCodeAt(this.pos);
      if (c === 34) {
        parts.push(this.source.substring(runStart, this.pos));
        this.pos++;
        return parts.join('');
      }
      if (c < 32) {
        this.fail('control character in JSON string');
        return null;
      }
      if (c !== 92) {
        this.pos++;
        continue;
      }
      parts.push(this.source.substring(runStart, this.pos));
      this.pos++;
      const escaped = this.peek();
      this.pos++;
      if (escaped === 34) parts.push('"');
      else if (escaped === 92) parts.push('\\');
      else if (escaped === 47) parts.push('/');
      else if (escaped === 98) parts.push('\b');
      else if (escaped === 102) parts.push('\f');
      else if (escaped === 110) parts.push('\n');
      else if (escaped === 114) parts.push('\r');
      else if (escaped === 116) parts.push('\t');
      else if (escaped === 117) {
        const code = this.parseHex4();
        if (code < 0) {
          this.fail('invalid \\u escape in JSON string');
          return null;
        }
        parts.push(String.fromCharCode(code));
      } else {
        this.pos--;
        this.fail('invalid escape in JSON string');
        return null;
      }
      runStart = this.pos;
    }
  }

  parseHex4(): i32 {
    if (this.source.length - this.pos < 4) return -1;
    let code = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.source.charCodeAt(this.pos + i);
      let digit = -1;
      if (c >= 48 && c <= 57) digit = c - 48;
      else if (c >= 97 && c <= 102) digit = c - 87;
      else if (c >= 65 && c <= 70) digit = c - 55;
      if (digit < 0) return -1;
      code = (code << 4) | digit;
    }
    this.pos += 4;
    return code;
  }
}

/** Parses a complete JSON document. */
export function parseJson(source: string): ParseResult {
  const parser = new Parser(source);
  const result = new ParseResult();
  const value = parser.parseValue(0);
  if (value !== null) {
    parser.skipWhitespace();
    if (parser.pos < source.length) parser.fail('unexpected trailing characters after JSON');
  }
  if (parser.error.length > 0) {
    result.error = parser.error;
  } else {
    result.value = value;
  }
  return result;
}

/** Quotes and escapes a string as a JSON string literal. */
export function quote(text: string): string {
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92) {
      plain = false;
      break;
    }
  }
  if (plain) return `"${text}"`;
  const parts: string[] = [];
  parts.push('"');
  let runStart = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 32 && c !== 34 && c !== 92) continue;
    parts.push(text.substring(runStart, i));
    runStart = i + 1;
    if (c === 34) parts.push('\\"');
    else if (c === 92) parts.push('\\\\');
    else if (c === 10) parts.push('\\n');
    else if (c === 13) parts.push('\\r');
    else if (c === 9) parts.push('\\t');
    else if (c === 8) parts.push('\\b');
    else if (c === 12) parts.push('\\f');
    else parts.push(c < 16 ? `\\u000${hexDigit(c)}` : `\\u001${hexDigit(c - 16)}`);
  }
  parts.push(text.substring(runStart));
  parts.push('"');
  return parts.join('');
}

function hexDigit(value: i32): string {
  return '0123456789abcdef'.charAt(value);
}

/** A JSON string literal for `text`, or `null`. */
export function quoteOrNull(text: string | null): string {
  return text === null ? 'null' : quote(text);
}

/** Builds a JSON object member by member. */
export class ObjectWriter {
  parts: string[] = [];

  /** Adds a member whose value is already JSON text. */
  raw(key: string, json: string): ObjectWriter {
    this.parts.push(`${quote(key)}:${json}`);
    return this;
  }

  str(key: string, value: string): ObjectWriter {
    return this.raw(key, quote(value));
  }

  strOrNull(key: string, value: string | null): ObjectWriter {
    return this.raw(key, quoteOrNull(value));
  }

  u64(key: string, value: u64): ObjectWriter {
    return this.raw(key, value.toString());
  }

  bool(key: string, value: bool): ObjectWriter {
    return this.raw(key, value ? 'true' : 'false');
  }

  toString(): string {
    return `{${this.parts.join(',')}}`;
  }
}
