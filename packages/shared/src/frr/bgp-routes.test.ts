// BGP tables and single prefixes: the lab's FRR 8.4 captures (ECMP, graceful-restart stale paths), a synthetic FRR 10.4
// `json detail` table, upstream topotest subsets, and the degraded cases.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBgpPrefix, parseBgpTable } from "./bgp-routes.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const table = (name: string) => {
  const r = parseBgpTable(fixture(name));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const VIP = "2001:db8:1162:79fb:ff01::1/128";

describe("parseBgpTable", () => {
  it("reads the lab router's table: the ranges and the VIP, each with a path from every node (add-path)", () => {
    const t = table("frr-show-bgp-ipv6-unicast.healthy.frr-8.4.4.json");
    expect(t.routerId).toBe("10.255.0.1");
    expect(t.localAs).toBe(65101);
    expect(t.routes.map((r) => r.prefix)).toContain(VIP);
    const vip = t.routes.find((r) => r.prefix === VIP);
    expect(new Set(vip?.paths.map((p) => p.peer))).toEqual(
      new Set(["2001:db8:1162:79fb::11", "2001:db8:1162:79fb::12", "2001:db8:1162:79fb::13"]),
    );
    expect(vip?.paths.filter((p) => p.best)).toHaveLength(1);
    expect(vip?.paths.every((p) => p.valid && p.asPath === "65010" && !p.stale)).toBe(true);
    expect(t.totalPaths).toBe(t.routes.reduce((n, r) => n + r.paths.length, 0));
  });

  it("marks graceful restart's stale paths (BIRD killed on node01) and keeps the multipath flags", () => {
    const vip = table("frr-show-bgp-ipv6-unicast.bird-killed-gr.frr-8.4.4.json").routes.find(
      (r) => r.prefix === VIP,
    );
    expect(vip?.paths.map((p) => [p.peer.slice(-4), p.stale, p.best, p.multipath])).toEqual([
      ["::12", false, false, true],
      ["::11", true, true, false],
      ["::13", false, false, true],
    ]);
    expect(vip?.paths[0]?.nextHop).toBe("2001:db8:1162:79fb::12");
  });

  it("reads FRR 10's `json detail` form: bestpath objects, totals, asdot localAS, a link-local next hop", () => {
    const t = table("frr-show-bgp-ipv6-unicast.detail-stale-link-local.synthetic-frr-10.4.json");
    expect(t).toMatchObject({ localAs: 65101, totalRoutes: 1, totalPaths: 2 });
    expect(t.routes[0]?.paths).toEqual([
      {
        nextHop: "2001:db8:1162:79fb::11",
        nextHopLinkLocal: "fe80::11",
        peer: "2001:db8:1162:79fb::11",
        best: true,
        multipath: false,
        valid: true,
        stale: false,
        asPath: "65010",
        origin: "IGP",
      },
      {
        nextHop: "2001:db8:1162:79fb::12",
        peer: "2001:db8:1162:79fb::12",
        best: false,
        multipath: true,
        valid: true,
        stale: true,
        asPath: "65010",
        origin: "IGP",
      },
    ]);
  });

  it("reads an empty table and the upstream topotest subsets (absent flags are false, as FRR omits them)", () => {
    const empty = parseBgpTable(JSON.stringify({ routerId: "192.0.2.1", localAS: 65101, routes: {} }));
    expect(empty).toEqual({
      ok: true,
      value: { routerId: "192.0.2.1", localAs: 65101, routes: [], totalRoutes: 0, totalPaths: 0 },
    });
    const t = table("upstream/bgp_nexthop_ipv6__r1__show_bgp_ipv6_step1.json");
    const two = t.routes.find((r) => r.prefix === "2001:db8::2/128");
    expect(two?.paths[0]).toMatchObject({ nextHop: "fd00:0:2::2", valid: false, best: false });
  });

  it("answers PARSE_FAILED for error text, truncation and a shape it does not know", () => {
    const msg = (stdout: string) => {
      const r = parseBgpTable(stdout);
      return r.ok ? "parsed" : r.error.message;
    };
    expect(msg("% Unknown command: show bgp ipv6 unicast jsn")).toMatch(/vtysh answered/);
    expect(msg(fixture("frr-show-bgp-ipv6-unicast.healthy.frr-8.4.4.json").slice(0, 500))).toMatch(
      /not JSON/,
    );
    expect(msg("{}")).toMatch(/unexpected shape at routes/);
    expect(msg(JSON.stringify({ routes: { "::/0": "x" } }))).toMatch(/unexpected shape at routes/);
  });
});

describe("parseBgpPrefix", () => {
  it("reads one prefix's detail paths, and `{}` as a prefix the router does not have", () => {
    const r = parseBgpPrefix(fixture("frr-show-bgp-ipv6-unicast-prefix.vip-healthy.frr-8.4.4.json"));
    if (!r.ok || !r.value) throw new Error("not parsed");
    expect(r.value.prefix).toBe("2001:db8:79fb:ff01::1/128");
    expect(r.value.paths).toHaveLength(3);
    expect(r.value.paths.filter((p) => p.best)).toHaveLength(1);
    expect(r.value.paths.every((p) => p.asPath === "65010" && p.valid)).toBe(true);
    expect(parseBgpPrefix(fixture("frr-show-bgp-ipv6-unicast-prefix.absent.frr-8.4.4.json"))).toEqual({
      ok: true,
      value: undefined,
    });
    const bad = parseBgpPrefix(JSON.stringify({ prefix: "2001:db8::1", paths: [] }));
    expect(bad.ok ? "" : bad.error.message).toMatch(/has no length/);
  });
});
