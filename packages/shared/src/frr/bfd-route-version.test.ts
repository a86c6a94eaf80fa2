// BFD sessions, the FIB (`show ipv6 route json`) and `show version`, on the lab's captures and upstream samples.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBfdPeers } from "./bfd-peers.js";
import { parseIpv6Routes } from "./ipv6-route.js";
import { parseFrrVersion } from "./version.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const value = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe("parseBfdPeers", () => {
  it("reads no sessions on the lab router (Calico renders no BFD) and the what-if BFD session", () => {
    expect(value(parseBfdPeers(fixture("frr-show-bfd-peers.healthy.frr-8.4.4.json")))).toEqual([]);
    const [p] = value(parseBfdPeers(fixture("frr-show-bfd-peers.whatif-bfd-healthy.frr-8.4.4.json")));
    expect(p).toEqual({
      peer: "2001:db8:1162:79fb::11",
      local: "2001:db8:1162:79fb::1",
      multihop: true,
      status: "up",
      uptimeS: 5,
      diagnostic: "ok",
      remoteDiagnostic: "ok",
      detectMultiplier: 3,
      receiveIntervalMs: 100,
      transmitIntervalMs: 100,
      remoteDetectMultiplier: 3,
    });
  });

  it("reads FRR 7.x's keys (frr_exporter sample) and refuses an unknown status", () => {
    const [p] = value(parseBfdPeers(fixture("upstream/show_bfd_peers.json")));
    expect(p).toMatchObject({
      peer: "10.10.141.61",
      interface: "eth0",
      status: "up",
      receiveIntervalMs: 300,
    });
    const r = parseBfdPeers(JSON.stringify([{ peer: "2001:db8::1", status: "sleeping" }]));
    expect(r.ok ? "" : r.error.message).toMatch(/unexpected shape at 0\.status/);
    expect(parseBfdPeers("{}").ok).toBe(false);
  });
});

describe("parseIpv6Routes", () => {
  it("reads the VIP's ECMP route: BGP, selected and installed, three active next hops in the FIB", () => {
    const routes = value(parseIpv6Routes(fixture("frr-show-ipv6-route.healthy.frr-8.4.4.json")));
    const vip = routes.find((r) => r.prefix === "2001:db8:1162:79fb:ff01::1/128");
    expect(vip).toMatchObject({ protocol: "bgp", selected: true, installed: true, distance: 20 });
    expect(vip?.nextHops).toEqual(
      ["11", "12", "13"].map((n) => ({
        address: `2001:db8:1162:79fb::${n}`,
        interface: "br0",
        active: true,
        fib: true,
      })),
    );
    const connected = routes.find((r) => r.prefix === "2001:db8:1162:79fb::/64");
    expect(connected?.protocol).toBe("connected");
    expect(connected?.nextHops[0]?.address).toBeUndefined();
  });

  it("reads a range with no routes as empty, and the upstream topotest subsets", () => {
    expect(value(parseIpv6Routes(fixture("frr-show-ipv6-route.empty-range.frr-8.4.4.json")))).toEqual([]);
    const up = value(parseIpv6Routes(fixture("upstream/bfd_topo2__r1__ipv6_routes.json")));
    expect(up.length).toBeGreaterThan(0);
    expect(up.every((r) => typeof r.protocol === "string")).toBe(true);
  });
});

describe("parseFrrVersion", () => {
  it("reads the lab's FRR and pfSense-style version lines", () => {
    expect(value(parseFrrVersion(fixture("frr-show-version.healthy.frr-8.4.4.txt")))).toMatchObject({
      version: "8.4.4",
      major: 8,
      minor: 4,
      hostname: "vm",
    });
    expect(
      value(parseFrrVersion("FRRouting 10.2.1 (pfsense.home.arpa) on FreeBSD(14.0-CURRENT).\n")),
    ).toEqual({
      version: "10.2.1",
      major: 10,
      minor: 2,
      hostname: "pfsense.home.arpa",
      os: "FreeBSD(14.0-CURRENT)",
    });
    expect(parseFrrVersion("% Unknown command").ok).toBe(false);
  });

  it("reads vtysh's error text as PARSE_FAILED for every JSON command", () => {
    const r = parseBfdPeers(fixture("frr-show-bgp-summary.vtysh-error.frr-8.4.4.txt"));
    expect(r.ok ? "" : r.error.message).toBe(
      'vtysh answered "% Unknown command: show bgp ipv6 unicast summry json"',
    );
  });
});
