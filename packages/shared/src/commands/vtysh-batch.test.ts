import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { commands } from "./registry.js";
import { buildVtyshBatch, splitVtyshBatch } from "./vtysh-batch.js";

const fixture = (id: string, scenario = "healthy") =>
  readFileSync(join(import.meta.dirname, `../frr/fixtures/${id}.${scenario}.frr-8.4.4.json`), "utf8");

describe("vtysh batches", () => {
  it("builds one vtysh with every -c, sudo once, parameters validated as on their own", () => {
    const parts = [
      { id: "frr-show-bgp-summary", params: {} },
      { id: "frr-show-bgp-ipv6-unicast", params: { range: "2001:DB8::/64" } },
    ] as const;
    const pf = buildVtyshBatch(parts, { kind: "router", platform: "pfsense-frr", sudo: true });
    expect(pf.ok && pf.batch.line).toBe(
      "sudo -n /usr/local/bin/vtysh -c 'show bgp summary json' -c 'show bgp ipv6 unicast 2001:db8::/64 longer-prefixes json'",
    );
    const bad = buildVtyshBatch([{ id: "frr-show-bgp-ipv6-unicast", params: { range: "not; a cidr" } }], {
      kind: "router",
      platform: "linux-frr",
      sudo: false,
    });
    expect(bad).toMatchObject({ ok: false, message: expect.stringContaining("not an IPv6 CIDR") });
    const mixed = buildVtyshBatch([{ id: "pfsense-ifconfig", params: {} }], {
      kind: "router",
      platform: "pfsense-frr",
      sudo: true,
    });
    expect(mixed).toMatchObject({ ok: false, message: "only vtysh commands for one router batch together" });
  });

  it("cuts captured outputs back apart, each then parsed by its own parser", () => {
    const ids = [
      "frr-show-bgp-summary",
      "frr-show-bgp-neighbors",
      "frr-show-bfd-peers",
      "frr-show-ipv6-route",
    ] as const;
    const joined = ids.map((id) => fixture(id)).join("");
    const split = splitVtyshBatch(joined, ids.length);
    if (!split.ok) throw new Error(split.message);
    expect(split.outputs.map((o, i) => commands[ids[i] as (typeof ids)[number]].parse(o).ok)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(split.outputs[0]).toBe(fixture("frr-show-bgp-summary").trim());
  });

  it("refuses vtysh's error text, a cut-off value and a wrong count", () => {
    const summary = fixture("frr-show-bgp-summary");
    expect(splitVtyshBatch(`${summary}% Unknown command: show bogus\n`, 2)).toEqual({
      ok: false,
      message: "part 2 of 2: % Unknown command: show bogus",
    });
    expect(splitVtyshBatch(summary.slice(0, 200), 1)).toEqual({ ok: false, message: "part 1 of 1: cut off" });
    expect(splitVtyshBatch(`${summary}${summary}`, 1)).toEqual({
      ok: false,
      message: "more output than 1 parts",
    });
    expect(splitVtyshBatch('[\n]\n{"a":"}{\\""}\n', 2)).toEqual({
      ok: true,
      outputs: ["[\n]", '{"a":"}{\\""}'],
    });
  });
});
