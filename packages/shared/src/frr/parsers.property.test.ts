// Property test of every router and node parser: mutated captures, mutated JSON trees and random bytes give a
// parsed value or a typed PARSE_FAILED naming the command — never a throw.
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCalicoNodeStatus } from "../calico/node-status.js";
import { parseCarpStatus } from "../pfsense/carp.js";
import { parseBfdPeers } from "./bfd-peers.js";
import { parseBgpNeighbors } from "./bgp-neighbors.js";
import { parseBgpPrefix, parseBgpTable } from "./bgp-routes.js";
import { parseBgpSummary } from "./bgp-summary.js";
import { parseIpv6Routes } from "./ipv6-route.js";
import type { Parsed } from "./parsed.js";
import { parseFrrVersion } from "./version.js";

type Parser = (stdout: string) => Parsed<unknown>;
const PARSERS: Record<string, Parser> = {
  "frr-show-bgp-summary": parseBgpSummary,
  "frr-show-bgp-neighbors": parseBgpNeighbors,
  "frr-show-bgp-ipv6-unicast": parseBgpTable,
  "frr-show-bgp-ipv6-unicast-prefix": parseBgpPrefix,
  "frr-show-bfd-peers": parseBfdPeers,
  "frr-show-ipv6-route": parseIpv6Routes,
  "frr-show-version": parseFrrVersion,
  "calicoctl-node-status": parseCalicoNodeStatus,
  "pfsense-ifconfig": parseCarpStatus,
};

/** How many inputs each property tries, per parser; the closing note reports the total. */
export const RUNS = { text: 400, tree: 400, bytes: 200 };

const dirs = [
  new URL("./fixtures/", import.meta.url),
  new URL("../calico/fixtures/", import.meta.url),
  new URL("../pfsense/fixtures/", import.meta.url),
];
const fixtures = dirs.flatMap((d) =>
  readdirSync(d)
    .filter((f) => /\.(json|txt)$/.test(f))
    .map((f) => ({ name: f, text: readFileSync(new URL(f, d), "utf8") })),
);
const fixturesFor = (id: string) => {
  const own = fixtures.filter((f) => f.name.startsWith(`${id}.`));
  return own.length ? own : fixtures;
};

function check(id: string, parse: Parser, input: string): void {
  const r = parse(input); // a throw fails the property
  if (r.ok) return;
  expect(r.error.code).toBe("PARSE_FAILED");
  expect(r.error.commandId).toBe(id);
  expect(r.error.head.length).toBeLessThanOrEqual(200);
  expect(typeof r.error.message).toBe("string");
}

/** Text edits an SSH channel or a careless pager could make: cuts, inserted bytes, swapped lines. */
const textMutation = (text: string) =>
  fc.oneof(
    fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
    fc
      .tuple(fc.nat({ max: text.length }), fc.string({ unit: "binary", maxLength: 8 }))
      .map(([at, s]) => text.slice(0, at) + s + text.slice(at)),
    fc
      .tuple(fc.nat({ max: text.length }), fc.nat({ max: 40 }))
      .map(([at, n]) => text.slice(0, at) + text.slice(at + n)),
    fc.constant(text.split("\n").reverse().join("\n")),
  );

/** JSON-tree edits: a value replaced by another type, a key removed, a string where a number was. */
function treeMutation(text: string): fc.Arbitrary<string> {
  let tree: unknown;
  try {
    tree = JSON.parse(text);
  } catch {
    return fc.constant(text);
  }
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (paths.length > 2000) return;
    if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, [...path, i]);
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, [...path, k]);
  };
  walk(tree, []);
  const replacement = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double(),
    fc.string({ maxLength: 12 }),
    fc.constant([]),
    fc.constant({}),
    fc.constant("Idle (Admin)"),
    fc.constant("1.10"),
  );
  return fc.tuple(fc.constantFrom(...paths), replacement, fc.boolean()).map(([path, value, remove]) => {
    const copy = structuredClone(tree);
    if (path.length === 0) return JSON.stringify(value);
    let node: unknown = copy;
    for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key];
    const last = path[path.length - 1] as string | number;
    if (remove && node && typeof node === "object" && !Array.isArray(node))
      delete (node as Record<string, unknown>)[last as string];
    else (node as Record<string | number, unknown>)[last] = value;
    return JSON.stringify(copy);
  });
}

describe("parsers under mutated and random input", () => {
  for (const [id, parse] of Object.entries(PARSERS)) {
    it(`${id}: a value or PARSE_FAILED, never a throw`, () => {
      const own = fixturesFor(id);
      fc.assert(
        fc.property(
          fc.constantFrom(...own).chain((f) => textMutation(f.text)),
          (input) => check(id, parse, input),
        ),
        { numRuns: RUNS.text },
      );
      fc.assert(
        fc.property(
          fc.constantFrom(...own).chain((f) => treeMutation(f.text)),
          (input) => check(id, parse, input),
        ),
        { numRuns: RUNS.tree },
      );
      fc.assert(
        fc.property(fc.string({ unit: "binary", maxLength: 400 }), (input) => check(id, parse, input)),
        { numRuns: RUNS.bytes },
      );
    });
  }
});
