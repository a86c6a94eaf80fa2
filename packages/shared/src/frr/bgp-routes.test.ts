// BGP tables and single prefixes: the lab's FRR 8.4 captures (ECMP, graceful-restart stale paths), a synthetic FRR 10.4
// `json detail` table, upstream topotest subsets, and the degraded cases.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBgpPrefix, parseBgpTable } from "./bgp-routes.js";
import { syntheticBgpTable, syntheticPrefix } from "./synthetic-bgp-table.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const tableOf = (text: string) => {
  const r = parseBgpTable(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const table = (name: string) => tableOf(fixture(name));
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

describe("parseBgpTable on a large table (the full-table view)", () => {
  const N = 5000;
  const text = syntheticBgpTable(N);
  const msg = (stdout: string) => {
    const r = parseBgpTable(stdout);
    return r.ok ? "parsed" : r.error.message;
  };

  it("reads every prefix and path, as JSON.parse reads them", () => {
    const t = tableOf(text);
    expect(t).toMatchObject({ routerId: "192.0.2.1", localAs: 65101, totalRoutes: N, totalPaths: 3 * N });
    const json = JSON.parse(text) as {
      routes: Record<string, { peerId: string; nexthops: { ip: string }[] }[]>;
    };
    expect(t.routes.map((r) => r.prefix)).toEqual(Object.keys(json.routes));
    const route = t.routes[4321];
    expect(route?.paths.map((p) => [p.peer, p.nextHop, p.nextHopLinkLocal, p.best, p.multipath])).toEqual(
      json.routes[syntheticPrefix(4321)]?.map((p, i) => [
        p.peerId,
        p.nexthops[0]?.ip,
        p.nexthops[1]?.ip,
        i === 0,
        i > 0,
      ]),
    );
  });

  it("answers PARSE_FAILED naming the path of one malformed path deep in the table", () => {
    const prefix = syntheticPrefix(3210);
    const at = text.indexOf('"peerId"', text.indexOf(`"${prefix}"`));
    const end = text.indexOf(",", at);
    expect(msg(`${text.slice(0, at)}"peerId":7${text.slice(end)}`)).toBe(
      `unexpected shape at routes.${prefix}.0.peerId: expected a string, got a number`,
    );
    const hop = text.indexOf('"ip"', at);
    expect(msg(`${text.slice(0, hop)}"ipx"${text.slice(hop + 4)}`)).toBe(
      `unexpected shape at routes.${prefix}.0.nexthops.0.ip: required`,
    );
  });

  it("answers not JSON for a cut or broken table, even where a shape error comes first", () => {
    expect(msg(text.slice(0, text.length - 1000))).toMatch(/^not JSON .*unterminated string/);
    const colon = text.indexOf(":", text.length / 2);
    expect(msg(`${text.slice(0, colon)};${text.slice(colon + 1)}`)).toMatch(
      /^not JSON .*unexpected ";" at position/,
    );
    expect(msg(`{"routes": 5, ${text.slice(1, -10)}`)).toMatch(/^not JSON/);
  });
});

describe("parseBgpTable's edge shapes", () => {
  it("reads `json detail` prefixes as `show bgp … <prefix> json` reads one", () => {
    const one = JSON.parse(fixture("frr-show-bgp-ipv6-unicast-prefix.vip-healthy.frr-8.4.4.json")) as {
      prefix: string;
    };
    const t = tableOf(JSON.stringify({ routes: { [one.prefix]: one } }));
    const r = parseBgpPrefix(JSON.stringify(one));
    expect(r.ok && t.routes).toEqual([r.ok && r.value]);
  });

  it("keeps a prefix printed twice once, with its last paths; reads escaped keys and strings", () => {
    const t = tableOf(
      '{"routes": {"2001:db8::/64": [{"peerId": "a"}], "::/0": [], "2001:db8::/64": [{"peer\u0049d": "b"}]}}',
    );
    expect(t.routes.map((r) => [r.prefix, r.paths.map((p) => p.peer)])).toEqual([
      ["2001:db8::/64", ["b"]],
      ["::/0", []],
    ]);
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
