// A strict JSON reader over a string that builds no document tree: a parser walks objects and arrays member by
// member, reads the values it maps and skips (still validating) the rest — for outputs too large to JSON.parse whole.
// One leniency, for speed: a raw control character other than tab, LF or CR inside a string it skips goes unnoticed
// (strings it reads, keys included, are checked as JSON.parse checks them).

import { isDigit, JsonScanner } from "./json-scanner.js";

export { JsonSyntaxError, syntaxError } from "./json-scanner.js";

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
/**
 * Slots in the shared-strings cache: a power of two, one per 64 characters of input, between 64 and 16384. A
 * router poll's few-KB answer must not pay for a 100,000-route table's cache (filling 16384 slots takes ~0.15 ms,
 * four times a second while a failover run polls the router).
 */
export function internSlots(chars: number): number {
  let n = 64;
  while (n < 16384 && n * 64 < chars) n *= 2;
  return n;
}
/** How many of a string's last characters its intern hash reads (with its length and first character). */
const HASHED = 8;

export class JsonCursor extends JsonScanner {
  /** The current key's opening quote, and its length (-1 if it has escapes). */
  private keyAt = 0;
  private keyLength = 0;
  /** One entry per object or array being read: its current key's opening quote, or -(index + 1). */
  private readonly frames: number[] = [];
  /** The strings read so far, by hash: a cache (a collision replaces), so a table of all-different values is fine. */
  private interned: (string | undefined)[] = [];

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
    if (this.interned.length === 0)
      this.interned = new Array<string | undefined>(internSlots(this.end - this.pos)).fill(undefined);
    const slot = h & (this.interned.length - 1);
    const hit = this.interned[slot];
    if (hit !== undefined && hit.length === n && this.same(hit, at + 1)) return hit;
    const s = this.decode(at, close); // its own copy, where a slice would keep the whole input alive
    this.interned[slot] = s;
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
}
