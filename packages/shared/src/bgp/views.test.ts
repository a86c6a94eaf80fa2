// The router's BGP as the console shows it, from the lab's captures: sessions with timers and names, routes with
// named paths and FIB next hops.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBfdPeers } from "../frr/bfd-peers.js";
import { parseBgpNeighbors } from "../frr/bgp-neighbors.js";
import { parseBgpTable } from "../frr/bgp-routes.js";
import { ipv6Peers, parseBgpSummary } from "../frr/bgp-summary.js";
import { parseIpv6Routes } from "../frr/ipv6-route.js";
import type { Parsed } from "../frr/parsed.js";
import { namesFrom, routerPeerViews, routeViews } from "./views.js";

const fixture = (name: string) => readFileSync(new URL(`../frr/fixtures/${name}`, import.meta.url), "utf8");
const v = <T>(r: Parsed<T>): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const nameOf = namesFrom(
  ["11", "12", "13"].map((n) => ({
    name: `node${n.slice(1).padStart(2, "0")}`,
    address: `2001:DB8:1162:79fb::${n}`,
  })),
);
const scenario = (s: string) => ({
  summary: ipv6Peers(v(parseBgpSummary(fixture(`frr-show-bgp-summary.${s}.frr-8.4.4.json`)))),
  neighbors: v(parseBgpNeighbors(fixture(`frr-show-bgp-neighbors.${s}.frr-8.4.4.json`))),
  bfd: v(parseBfdPeers(fixture(`frr-show-bfd-peers.${s}.frr-8.4.4.json`))),
  table: v(parseBgpTable(fixture(`frr-show-bgp-ipv6-unicast.${s}.frr-8.4.4.json`))).routes,
  fib: v(parseIpv6Routes(fixture(`frr-show-ipv6-route.${s}.frr-8.4.4.json`))),
});

describe("routerPeerViews", () => {
  it("names each node session and adds the negotiated timers and graceful restart", () => {
    const s = scenario("healthy");
    const peers = routerPeerViews(s.summary, s.neighbors, s.bfd, nameOf);
    expect(peers.map((p) => [p.name, p.state])).toEqual([
      ["node01", "Established"],
      ["node02", "Established"],
      ["node03", "Established"],
    ]);
    expect(peers[0]).toMatchObject({
      source: "router",
      address: "2001:db8:1162:79fb::11",
      holdTimeMs: 180_000,
      keepaliveMs: 60_000,
      prefixesReceived: 8,
      gracefulRestart: { remoteMode: "Restart", peerRestartTimeS: 120, endOfRibReceived: true },
    });
    expect(peers[0]?.bfd).toBeUndefined();
  });

  it("shows the dropped session without an uptime", () => {
    const s = scenario("peer-down");
    const down = routerPeerViews(s.summary, s.neighbors, s.bfd, nameOf).find((p) => p.name === "node02");
    expect(down).toMatchObject({ state: "Active", prefixesReceived: 0 });
    expect(down?.establishedAt).toBeUndefined();
    const up = routerPeerViews(s.summary, s.neighbors, s.bfd, nameOf).find((p) => p.name === "node01");
    expect(up?.establishedAt).toMatch(/^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
  });
});

describe("routeViews", () => {
  it("names the VIP's paths and FIB next hops; a stale path stays marked (BIRD killed on node01)", () => {
    const s = scenario("bird-killed-gr");
    const vip = routeViews(s.table, s.fib, nameOf).find((r) => r.prefix === "2001:db8:1162:79fb:ff01::1/128");
    expect(vip?.paths.map((p) => [p.node, p.stale, p.best])).toEqual([
      ["node02", false, false],
      ["node01", true, true],
      ["node03", false, false],
    ]);
    expect(vip?.fib.nextHops.map((h) => [h.node, h.active])).toEqual([
      ["node01", true],
      ["node02", true],
      ["node03", true],
    ]);
  });

  it("has two FIB next hops for the VIP when node02's BIRD is down", () => {
    const s = scenario("peer-down");
    const vip = routeViews(s.table, s.fib, nameOf).find((r) => r.prefix === "2001:db8:1162:79fb:ff01::1/128");
    expect(vip?.fib.nextHops.map((h) => h.node)).toEqual(["node01", "node03"]);
  });
});
