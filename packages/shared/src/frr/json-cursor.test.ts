// The streaming JSON cursor against JSON.parse: the same verdict on valid and broken JSON, the same values read back,
// and shape errors that name their path.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { internSlots, JsonCursor, JsonShapeError, JsonSyntaxError, syntaxError } from "./json-cursor.js";

/** Any value, read back through the cursor alone (what a parser does member by member). */
function readAny(c: JsonCursor): unknown {
  const kind = c.kind();
  if (kind === "object") {
    const o: Record<string, unknown> = {};
    // As JSON.parse does (CreateDataProperty): `__proto__` is an own key, not the prototype's setter.
    for (let more = c.object(); more; more = c.member())
      Object.defineProperty(o, c.keyText(), {
        value: readAny(c),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return o;
  }
  if (kind === "array") {
    const a: unknown[] = [];
    for (let more = c.array(); more; more = c.item()) a.push(readAny(c));
    return a;
  }
  if (kind === "string") return c.string();
  if (kind === "number") return c.number();
  if (kind === "boolean") return c.boolean();
  c.skip();
  return null;
}

const parses = (s: string) => {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
};
// biome-ignore lint/suspicious/noControlCharactersInRegex: the one leniency, documented in json-cursor.ts
const RAW_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

describe("JsonCursor", () => {
  it("reads back what JSON.parse reads, escapes, numbers and nesting included", () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        const c = new JsonCursor(text);
        expect(readAny(c)).toEqual(JSON.parse(text));
        c.done();
      }),
      { numRuns: 500 },
    );
    const proto = new JsonCursor('[{"__proto__":""}]');
    expect(readAny(proto)).toEqual(JSON.parse('[{"__proto__":""}]'));
    const c = new JsonCursor(' {"a\\u0062":["\\"\\/\\n\\ud83d\\ude00", -0.5e+2, true, null, {}]} ');
    expect(readAny(c)).toEqual({ ab: ['"/\n😀', -50, true, null, {}] });
  });

  it("calls JSON broken exactly when JSON.parse does (raw control characters in strings aside)", () => {
    const mutated = fc
      .tuple(fc.json(), fc.nat(), fc.string({ unit: "binary", maxLength: 3 }), fc.nat({ max: 3 }))
      .map(([text, at, insert, cut]) => {
        const i = at % (text.length + 1);
        return text.slice(0, i) + insert + text.slice(i + cut);
      });
    fc.assert(
      fc.property(mutated, (text) => {
        if (RAW_CONTROL.test(text)) return;
        expect(syntaxError(text) === undefined).toBe(parses(text));
      }),
      { numRuns: 3000 },
    );
    for (const bad of [
      "",
      "{",
      '{"a":1,}',
      "[1 2]",
      "01",
      "1.",
      "-",
      '"\\x"',
      '"a\nb"',
      "tru",
      '{"a" 1}',
      "{} x",
    ])
      expect(syntaxError(bad), bad).toBeInstanceOf(JsonSyntaxError);
  });

  it("sizes its shared-strings cache to the input: a router poll's answer small, a full table's at most 16384", () => {
    expect(internSlots(0)).toBe(64);
    expect(internSlots(6_000)).toBe(128);
    expect(internSlots(64 * 1024)).toBe(1024);
    expect(internSlots(80_000_000)).toBe(16384);
    // Distinct values colliding in a small cache still read back as themselves.
    const values = Array.from({ length: 500 }, (_, i) => `2001:db8::${i.toString(16)}`);
    const c = new JsonCursor(JSON.stringify(values));
    const got: string[] = [];
    for (let more = c.array(); more; more = c.item()) got.push(c.string());
    expect(got).toEqual(values);
  });

  it("names the path of a value of the wrong kind, and of a missing member", () => {
    const c = new JsonCursor('{"a": [{"b": 1}, {"b": "x"}]}');
    const err = (() => {
      try {
        for (let more = c.object(); more; more = c.member())
          for (let item = c.array(); item; item = c.item())
            for (let m = c.object(); m; m = c.member()) c.number();
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(JsonShapeError);
    expect(err).toMatchObject({ path: ["a", 1, "b"], message: "expected a number, got a string" });
    const d = new JsonCursor('{"x": {}}');
    d.object();
    d.object();
    expect(() => d.fail("required", "ip")).toThrow(expect.objectContaining({ path: ["x", "ip"] }));
  });
});
