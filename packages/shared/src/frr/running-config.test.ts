// `show running-config` as the router step reads it: captured from the lab's FRR 8.4.4, byte for byte.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { neighborTimers, parseFrrRunningConfig } from "./running-config.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

describe("frr-show-running-config", () => {
  it("reads the BGP instance: ASN, ebgp-requires-policy off, peer-group members, IPv6 multipath", () => {
    const r = parseFrrRunningConfig(fixture("frr-show-running-config.lab-default.frr-8.4.4.txt"));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.frrVersion).toBe("8.4.4");
    expect(r.value.bgp).toEqual({
      asn: 65101,
      ebgpRequiresPolicy: false,
      timers: {},
      peerGroupOf: {
        "2001:db8:ef26:e9a::11": "NODES",
        "2001:db8:ef26:e9a::12": "NODES",
        "2001:db8:ef26:e9a::13": "NODES",
      },
      maximumPathsIpv6: 8,
    });
  });

  it("reads the timers the router step set, per neighbour, over the peer group's defaults", () => {
    const r = parseFrrRunningConfig(fixture("frr-show-running-config.setup-timers.frr-8.4.4.txt"));
    if (!r.ok || !r.value.bgp) throw new Error("no bgp");
    for (const n of ["11", "12", "13"])
      expect(neighborTimers(r.value.bgp, `2001:db8:ef26:e9a::${n}`)).toEqual({ keepaliveS: 3, holdS: 9 });
    expect(r.value.bgp.maximumPathsIpv6).toBe(8);
  });

  it("takes a neighbour's own timers over its peer group's; stops at the block's end", () => {
    const text = [
      "frr version 10.4",
      "router bgp 65101",
      " neighbor NODES peer-group",
      " neighbor NODES timers 1 3",
      " neighbor 2001:db8::11 peer-group NODES",
      " neighbor 2001:db8::12 peer-group NODES",
      " neighbor 2001:db8::12 timers 3 9",
      "exit",
      "router bgp 65101 vrf other",
      " maximum-paths 2",
      "end",
    ].join("\n");
    const r = parseFrrRunningConfig(text);
    if (!r.ok || !r.value.bgp) throw new Error("no bgp");
    expect(r.value.bgp.ebgpRequiresPolicy).toBe(true);
    expect(neighborTimers(r.value.bgp, "2001:db8::11")).toEqual({ keepaliveS: 1, holdS: 3 });
    expect(neighborTimers(r.value.bgp, "2001:db8::12")).toEqual({ keepaliveS: 3, holdS: 9 });
    expect(r.value.bgp.maximumPathsIpv6).toBeUndefined();
  });

  it("refuses what is not a running configuration", () => {
    expect(parseFrrRunningConfig("% Unknown command: show runnin").ok).toBe(false);
    expect(parseFrrRunningConfig("").ok).toBe(false);
  });
});
