// `show bgp summary json` on the lab's captures (FRR 8.4), upstream samples (7.x, topotest subsets) and synthetic
// FRR 10.4 degraded output (asdot ASNs, Idle (Admin), peerState Policy).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ipv6Peers, parseBgpSummary } from "./bgp-summary.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const ok = (stdout: string) => {
  const r = parseBgpSummary(stdout);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};
const N1 = "2001:db8:1162:79fb::11";
const N2 = "2001:db8:1162:79fb::12";

describe("parseBgpSummary", () => {
  it("reads the lab router's three established node sessions (FRR 8.4, {ipv6Unicast: …})", () => {
    const s = ok(fixture("frr-show-bgp-summary.healthy.frr-8.4.4.json"));
    expect(s.families.map((f) => [f.family, f.routerId, f.localAs])).toEqual([
      ["ipv6Unicast", "10.255.0.1", 65101],
    ]);
    const peers = ipv6Peers(s);
    expect(peers).toHaveLength(3);
    expect(peers[0]).toEqual({
      address: N1,
      state: "Established",
      remoteAs: 65010,
      localAs: 65101,
      description: "node01",
      peerState: "OK",
      uptimeMs: 4000,
      establishedEpochS: 1796113510,
      prefixesReceived: 8,
      prefixesSent: 4,
      connectionsEstablished: 1,
      connectionsDropped: 0,
    });
  });

  it("reads a peer that lost its session as Active with no prefixes", () => {
    const peer = ipv6Peers(ok(fixture("frr-show-bgp-summary.peer-down.frr-8.4.4.json"))).find(
      (p) => p.address === N2,
    );
    expect(peer).toMatchObject({ state: "Active", prefixesReceived: 0, description: "node02" });
  });

  it("splits Idle (Admin) into state and reason, keeps peerState Policy, and reads asdot ASNs (FRR 10)", () => {
    const peers = ipv6Peers(
      ok(fixture("frr-show-bgp-summary.degraded-idle-admin-policy.synthetic-frr-10.4.json")),
    );
    expect(peers.map((p) => [p.address.slice(-4), p.state, p.idleReason, p.peerState])).toEqual([
      ["::11", "Established", undefined, "Policy"],
      ["::12", "Idle", "Admin", "Admin"],
      ["::13", "Idle", undefined, "OK"],
    ]);
    expect(peers[0]).toMatchObject({ remoteAs: 65010, localAs: 65101, hostname: "node01" });
    expect(
      ok(fixture("frr-show-bgp-summary.degraded-idle-admin-policy.synthetic-frr-10.4.json")).families[0]
        ?.localAs,
    ).toBe(65101);
  });

  it("reads FRR 7.x's prefixReceivedCount and the `vrf all` wrapping (upstream frr_exporter sample)", () => {
    const s = ok(fixture("upstream/show_bgp_vrf_all_ipv6_unicast_summary.json"));
    expect(s.families[0]?.family).toBe("unknown");
    const fd01 = ipv6Peers(s).find((p) => p.address === "fd00::1");
    expect(fd01).toMatchObject({ remoteAs: 64513, state: "Established", prefixesReceived: 1 });
  });

  it("reads every family of `show bgp summary json` and `{}` as no sessions", () => {
    const both = ok(
      JSON.stringify({
        ipv4Unicast: { as: 101, peers: { "192.0.2.2": { remoteAs: 102, state: "Established" } } },
        ipv6Unicast: { as: 101, peers: { "2001:db8::2": { remoteAs: 102, state: "Connect" } } },
      }),
    );
    expect(both.families.map((f) => f.family)).toEqual(["ipv4Unicast", "ipv6Unicast"]);
    expect(ipv6Peers(both).map((p) => p.state)).toEqual(["Connect"]);
    expect(ok("{}")).toEqual({ families: [] });
    expect(ok(fixture("upstream/bfd_topo1__r1__bgp_summary.json")).families[0]?.peers[0]?.remoteAs).toBe(102);
  });

  it("answers PARSE_FAILED, never a silent empty table, for error text, truncation and unknown shapes", () => {
    const failed = (stdout: string) => {
      const r = parseBgpSummary(stdout);
      return r.ok ? "parsed" : r.error.message;
    };
    expect(failed("% Unknown command: show bgp summry json\n")).toMatch(/vtysh answered "% Unknown command/);
    expect(failed("")).toMatch(/printed nothing/);
    expect(failed(fixture("frr-show-bgp-summary.healthy.frr-8.4.4.json").slice(0, 300))).toMatch(/not JSON/);
    expect(failed("[1,2]")).toMatch(/expected a JSON object/);
    // A topotest subset without "peers" is not FRR output.
    expect(failed(fixture("upstream/bgp_nexthop_ipv6__rr__show_bgp_ipv6_summary.json"))).toMatch(
      /no address family/,
    );
    expect(
      failed(JSON.stringify({ ipv6Unicast: { peers: { x: { remoteAs: "a.b", state: "Established" } } } })),
    ).toMatch(/ipv6Unicast|peers\.x\.remoteAs|not an AS number/);
    expect(failed(JSON.stringify({ peers: { x: { remoteAs: 1, state: "Dancing" } } }))).toMatch(
      /unknown BGP state "Dancing"/,
    );
    const r = parseBgpSummary("% BGP instance not found");
    expect(r).toMatchObject({
      ok: false,
      error: { code: "PARSE_FAILED", commandId: "frr-show-bgp-summary" },
    });
    if (!r.ok) expect(r.error.head).toBe("% BGP instance not found");
  });
});
