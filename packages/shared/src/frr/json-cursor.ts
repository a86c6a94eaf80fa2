// A strict JSON reader over a string that builds no document tree: a parser walks objects and arrays member by
// member, reads the values it maps and skips (still validating) the rest — for outputs too large to JSON.parse whole.
// One leniency, for speed: a raw control character other than tab, LF or CR inside a string it skips goes unnoticed
// (strings it reads, keys included, are checked as JSON.parse checks them).

/** Broken JSON (truncated, mixed with text): what JSON.parse would throw on. `at` is the offset in the JSON text. */
export class JsonSyntaxError extends Error {}

/** Valid JSON in a shape the reader does not know; `path` names where, as a zod issue path does. */
export class JsonShapeError extends Error {
  constructor(
    message: string,
    readonly path: (string | number)[],
  ) {
    super(message);
  }
}

export type JsonKind = "object" | "array" | "string" | "number" | "boolean" | "null";

const LABELS: Record<JsonKind, string> = {
  object: "an object",
  array: "an array",
  string: "a string",
  number: "a number",
  boolean: "a boolean",
  null: "null",
};
/** Beyond any string index, and still a small integer to V8 (the cursor's fields stay untagged). */
const NONE = 2 ** 30 - 1;
/** Slots in the shared-strings cache (a power of two). */
const INTERNED = 16384;
/** How many of a string's last characters its intern hash reads (with its length and first character). */
const HASHED = 8;
const ESCAPES = new Set([34, 92, 47, 98, 102, 110, 114, 116]); // " \ / b f n r t
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isDigit = (c: number) => c >= 48 && c <= 57;

export class JsonCursor {
  private pos: number;
  /** Cached next positions of a backslash, LF, CR and tab (NONE if there is none): strings are found by indexOf. */
  private nextEscape = -1;
  private nextLf = -1;
  private nextCr = -1;
  private nextTab = -1;
  private escaped = false;
  /** The current key's opening quote, and its length (-1 if it has escapes). */
  private keyAt = 0;
  private keyLength = 0;
  /** One entry per object or array being read: its current key's opening quote, or -(index + 1). */
  private readonly frames: number[] = [];
  /** The strings read so far, by hash: a cache (a collision replaces), so a table of all-different values is fine. */
  private interned: (string | undefined)[] = [];

  constructor(
    private readonly text: string,
    private readonly start = 0,
    private readonly end = text.length,
  ) {
    this.pos = start;
  }

  /** What the next value is; a JsonSyntaxError if it is no JSON value. */
  kind(): JsonKind {
    const c = this.ws();
    if (c === 123) return "object";
    if (c === 91) return "array";
    if (c === 34) return "string";
    if (c === 116 || c === 102) return "boolean";
    if (c === 110) return "null";
    if (c === 45 || isDigit(c)) return "number";
    return this.unexpected();
  }

  /** Enters an object: true with its first key read (`key`, `keyText`), false if it is empty. */
  object(): boolean {
    if (this.ws() !== 123) this.expected("an object");
    this.pos++;
    if (this.ws() === 125) {
      this.pos++;
      return false;
    }
    this.frames.push(0);
    this.readKey();
    return true;
  }

  /** The next member of the object being read (true, its key read), or false at its end. */
  member(): boolean {
    const c = this.ws();
    if (c === 125) {
      this.pos++;
      this.frames.pop();
      return false;
    }
    if (c !== 44) this.unexpected();
    this.pos++;
    this.readKey();
    return true;
  }

  /** Whether the current key is `name`. */
  key(name: string): boolean {
    if (this.keyLength !== name.length) return this.keyLength < 0 && this.keyText() === name;
    return this.same(name, this.keyAt + 1);
  }

  /** The current key, as a string of its own. */
  keyText(): string {
    return this.decode(this.keyAt, this.stringEnd(this.keyAt));
  }

  /** Enters an array: true positioned at its first item, false if it is empty. */
  array(): boolean {
    if (this.ws() !== 91) this.expected("an array");
    this.pos++;
    if (this.ws() === 93) {
      this.pos++;
      return false;
    }
    this.frames.push(-1);
    return true;
  }

  /** The next item of the array being read (true), or false at its end. */
  item(): boolean {
    const c = this.ws();
    const top = this.frames.length - 1;
    if (c === 93) {
      this.pos++;
      this.frames.pop();
      return false;
    }
    if (c !== 44) this.unexpected();
    this.pos++;
    this.frames[top] = (this.frames[top] ?? 0) - 1;
    return true;
  }

  /**
   * A string value, a string of its own (never a slice keeping the input alive), and one shared string for values
   * repeated across the table (addresses, AS paths, origins).
   */
  string(): string {
    if (this.ws() !== 34) this.expected("a string");
    const at = this.pos;
    const close = this.stringEnd(at);
    this.pos = close + 1;
    const n = close - at - 1;
    if (this.escaped) return this.decode(at, close);
    const t = this.text;
    let h = n * 31 + t.charCodeAt(at + 1);
    for (let i = Math.max(at + 2, close - HASHED); i < close; i++)
      h = (Math.imul(h, 31) + t.charCodeAt(i)) & 0x3fffffff;
    if (this.interned.length === 0) this.interned = new Array<string | undefined>(INTERNED).fill(undefined);
    const hit = this.interned[h & (INTERNED - 1)];
    if (hit !== undefined && hit.length === n && this.same(hit, at + 1)) return hit;
    const s = this.decode(at, close); // its own copy, where a slice would keep the whole input alive
    this.interned[h & (INTERNED - 1)] = s;
    return s;
  }

  /** Whether the next value, which must be a string, is `value` (without making a string of it). */
  stringIs(value: string): boolean {
    if (this.ws() !== 34) this.expected("a string");
    const at = this.pos;
    const close = this.stringEnd(at);
    this.pos = close + 1;
    if (this.escaped) return this.decode(at, close) === value;
    return close - at - 1 === value.length && this.same(value, at + 1);
  }

  boolean(): boolean {
    const c = this.ws();
    if (c === 116) return this.literal("true", true);
    if (c === 102) return this.literal("false", false);
    return this.expected("a boolean");
  }

  number(): number {
    const c = this.ws();
    if (c !== 45 && !isDigit(c)) this.expected("a number");
    const at = this.pos;
    this.skipNumber();
    return Number(this.text.slice(at, this.pos));
  }

  /** Skips the next value, validating it. */
  skip(): void {
    const c = this.ws();
    if (c === 34) this.pos = this.stringEnd(this.pos) + 1;
    else if (c === 123) this.skipMembers(125, true);
    else if (c === 91) this.skipMembers(93, false);
    else if (c === 116) this.literal("true", true);
    else if (c === 102) this.literal("false", false);
    else if (c === 110) this.literal("null", null);
    else if (c === 45 || isDigit(c)) this.skipNumber();
    else this.unexpected();
  }

  /** The end of the text: nothing but whitespace may follow the value. */
  done(): void {
    if (this.ws() !== -1) this.unexpected("text after the JSON value");
  }

  /** A JsonShapeError at the current value, or at its member `key`. */
  fail(message: string, key?: string): never {
    const path = this.frames.map((f) => (f >= 0 ? this.decode(f, this.stringEnd(f)) : -f - 1));
    throw new JsonShapeError(message, key === undefined ? path : [...path, key]);
  }

  private expected(what: string): never {
    return this.fail(`expected ${what}, got ${LABELS[this.kind()]}`);
  }

  private readKey(): void {
    if (this.ws() !== 34) this.unexpected();
    const at = this.pos;
    this.frames[this.frames.length - 1] = at;
    const close = this.stringEnd(at);
    this.pos = close + 1;
    this.keyAt = at;
    this.keyLength = this.escaped ? -1 : close - at - 1;
    if (this.ws() !== 58) this.unexpected();
    this.pos++;
  }

  private skipMembers(close: number, keys: boolean): void {
    this.pos++;
    if (this.ws() === close) {
      this.pos++;
      return;
    }
    for (;;) {
      if (keys) {
        if (this.ws() !== 34) this.unexpected();
        this.pos = this.stringEnd(this.pos) + 1;
        if (this.ws() !== 58) this.unexpected();
        this.pos++;
      }
      this.skip();
      const c = this.ws();
      if (c === close) break;
      if (c !== 44) this.unexpected();
      this.pos++;
    }
    this.pos++;
  }

  private skipNumber(): void {
    const t = this.text;
    let p = this.pos;
    if (t.charCodeAt(p) === 45) p++;
    if (t.charCodeAt(p) === 48) p++;
    else if (isDigit(t.charCodeAt(p))) while (isDigit(t.charCodeAt(++p)));
    else this.syntax(p, "a number without digits");
    if (t.charCodeAt(p) === 46) {
      if (!isDigit(t.charCodeAt(++p))) this.syntax(p, "a number without digits after the point");
      while (isDigit(t.charCodeAt(++p)));
    }
    if ((t.charCodeAt(p) | 32) === 101) {
      const s = t.charCodeAt(++p);
      if (s === 43 || s === 45) p++;
      if (!isDigit(t.charCodeAt(p))) this.syntax(p, "a number without exponent digits");
      while (isDigit(t.charCodeAt(++p)));
    }
    this.pos = Math.min(p, this.end);
  }

  private literal<T>(word: string, value: T): T {
    for (let i = 1; i < word.length; i++)
      if (this.text.charCodeAt(this.pos + i) !== word.charCodeAt(i) || this.pos + i >= this.end)
        this.syntax(this.pos + i, `a broken \`${word}\``);
    this.pos += word.length;
    return value;
  }

  /** The closing quote of the string opening at `at`; sets `escaped`. */
  private stringEnd(at: number): number {
    const t = this.text;
    const close = t.indexOf('"', at + 1);
    if (close < 0 || close >= this.end) this.syntax(this.end, "an unterminated string");
    if (this.nextEscape <= at) this.nextEscape = this.next("\\", at);
    if (this.nextEscape < close) return this.escapedEnd(at);
    if (this.nextLf <= at) this.nextLf = this.next("\n", at);
    if (this.nextCr <= at) this.nextCr = this.next("\r", at);
    if (this.nextTab <= at) this.nextTab = this.next("\t", at);
    const raw = Math.min(this.nextLf, this.nextCr, this.nextTab);
    if (raw < close) this.syntax(raw, "a raw line break or tab in a string");
    this.escaped = false;
    return close;
  }

  private escapedEnd(at: number): number {
    const t = this.text;
    for (let p = at + 1; p < this.end; p++) {
      const c = t.charCodeAt(p);
      if (c === 34) {
        this.escaped = true;
        return p;
      }
      if (c < 32) this.syntax(p, "a control character in a string");
      if (c !== 92) continue;
      const e = t.charCodeAt(++p);
      if (e === 117) {
        for (let k = 1; k <= 4; k++)
          if (!isHex(t.charCodeAt(p + k))) this.syntax(p + k, "a broken \\u escape");
        p += 4;
      } else if (!ESCAPES.has(e)) this.syntax(p, "an unknown escape");
    }
    return this.syntax(this.end, "an unterminated string");
  }

  /**
   * The value of the string between quotes at `at` and `close`, as a string of its own; JSON.parse does the escapes
   * and rejects the raw control characters `stringEnd` lets through.
   */
  private decode(at: number, close: number): string {
    let v: unknown;
    try {
      v = JSON.parse(this.text.slice(at, close + 1));
    } catch {
      return this.syntax(at, "a control character in a string");
    }
    return typeof v === "string" ? v : this.syntax(at, "a broken string");
  }

  private next(ch: string, from: number): number {
    const i = this.text.indexOf(ch, from);
    return i < 0 ? NONE : i;
  }

  private same(s: string, at: number): boolean {
    for (let i = 0; i < s.length; i++) if (this.text.charCodeAt(at + i) !== s.charCodeAt(i)) return false;
    return true;
  }

  private ws(): number {
    const t = this.text;
    for (let p = this.pos; p < this.end; p++) {
      const c = t.charCodeAt(p);
      if (c !== 32 && c !== 10 && c !== 13 && c !== 9) {
        this.pos = p;
        return c;
      }
    }
    this.pos = this.end;
    return -1;
  }

  private unexpected(what?: string): never {
    if (this.pos >= this.end) return this.syntax(this.end, "an unexpected end of the input");
    const c = this.text[this.pos] ?? "";
    return this.syntax(this.pos, what ?? `an unexpected ${JSON.stringify(c)}`);
  }

  private syntax(at: number, what: string): never {
    throw new JsonSyntaxError(`${what} at position ${at - this.start}`);
  }
}

/** The syntax error in `text` (between `start` and `end`), if it has one. */
export function syntaxError(text: string, start = 0, end = text.length): JsonSyntaxError | undefined {
  try {
    const c = new JsonCursor(text, start, end);
    c.skip();
    c.done();
    return undefined;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return err;
    throw err;
  }
}
