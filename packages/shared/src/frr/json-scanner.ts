// The lexical half of JsonCursor: finds the ends of JSON strings, numbers and literals in a string and skips whole
// values, validating them as JSON.parse would (strings by indexOf, so a table of long strings is quick to walk).

/** Broken JSON (truncated, mixed with text): what JSON.parse would throw on; the position is in the JSON text. */
export class JsonSyntaxError extends Error {}

/** Beyond any string index, and still a small integer to V8 (the scanner's fields stay untagged). */
const NONE = 2 ** 30 - 1;
const ESCAPES = new Set([34, 92, 47, 98, 102, 110, 114, 116]); // " \ / b f n r t
const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
export const isDigit = (c: number) => c >= 48 && c <= 57;

export class JsonScanner {
  protected pos: number;
  /** Cached next positions of a backslash, LF, CR and tab (NONE if there is none). */
  private nextEscape = -1;
  private nextLf = -1;
  private nextCr = -1;
  private nextTab = -1;
  /** Whether the string `stringEnd` last found has escapes. */
  protected escaped = false;

  constructor(
    protected readonly text: string,
    protected readonly start = 0,
    protected readonly end = text.length,
  ) {
    this.pos = start;
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

  protected skipNumber(): void {
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

  protected literal<T>(word: string, value: T): T {
    for (let i = 1; i < word.length; i++)
      if (this.text.charCodeAt(this.pos + i) !== word.charCodeAt(i) || this.pos + i >= this.end)
        this.syntax(this.pos + i, `a broken \`${word}\``);
    this.pos += word.length;
    return value;
  }

  /** The closing quote of the string opening at `at`; sets `escaped`. */
  protected stringEnd(at: number): number {
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
  protected decode(at: number, close: number): string {
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

  protected same(s: string, at: number): boolean {
    for (let i = 0; i < s.length; i++) if (this.text.charCodeAt(at + i) !== s.charCodeAt(i)) return false;
    return true;
  }

  protected ws(): number {
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

  protected unexpected(what?: string): never {
    if (this.pos >= this.end) return this.syntax(this.end, "an unexpected end of the input");
    const c = this.text[this.pos] ?? "";
    return this.syntax(this.pos, what ?? `an unexpected ${JSON.stringify(c)}`);
  }

  protected syntax(at: number, what: string): never {
    throw new JsonSyntaxError(`${what} at position ${at - this.start}`);
  }
}

/** The syntax error in `text` (between `start` and `end`), if it has one. */
export function syntaxError(text: string, start = 0, end = text.length): JsonSyntaxError | undefined {
  try {
    const c = new JsonScanner(text, start, end);
    c.skip();
    c.done();
    return undefined;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return err;
    throw err;
  }
}
