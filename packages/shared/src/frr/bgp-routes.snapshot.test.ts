// What the table and prefix parsers return for every BGP fixture and a small synthesised FRR 10 table, pinned (the
// snapshot was written by the zod parser the streaming reader replaced, so the two agree on all of them).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBgpPrefix, parseBgpTable } from "./bgp-routes.js";
import { syntheticBgpTable } from "./synthetic-bgp-table.js";

const dir = new URL("./fixtures/", import.meta.url);
const names = (match: RegExp) => [
  ...readdirSync(dir).filter((f) => match.test(f)),
  ...readdirSync(new URL("upstream/", dir))
    .filter((f) => /bgp_ipv6(_routes)?(_down)?(_step1)?\.json$/.test(f) && !/summary/.test(f))
    .map((f) => `upstream/${f}`),
];
const read = (name: string) => readFileSync(new URL(name, dir), "utf8");

describe("BGP route parsers pinned on every fixture", () => {
  for (const name of names(/^frr-show-bgp-ipv6-unicast\.[^.]+/))
    it(`table ${name}`, () => expect(parseBgpTable(read(name))).toMatchSnapshot());
  for (const name of names(/^frr-show-bgp-ipv6-unicast-prefix\./).filter((n) => !n.startsWith("upstream/")))
    it(`prefix ${name}`, () => expect(parseBgpPrefix(read(name))).toMatchSnapshot());
  it("a synthesised FRR 10 table of 20 prefixes", () =>
    expect(parseBgpTable(syntheticBgpTable(20))).toMatchSnapshot());
});
