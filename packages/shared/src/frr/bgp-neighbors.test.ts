// `show bgp neighbors json` on the lab's captures: timers, graceful restart, BFD (what-if), a session that dropped.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseBgpNeighbors } from "./bgp-neighbors.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const ok = (stdout: string) => {
  const r = parseBgpNeighbors(stdout);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe("parseBgpNeighbors", () => {
  it("reads negotiated and configured timers and graceful restart of an established node session", () => {
    const [n1] = ok(fixture("frr-show-bgp-neighbors.healthy.frr-8.4.4.json"));
    expect(n1).toEqual({
      address: "2001:db8:1162:79fb::11",
      state: "Established",
      remoteAs: 65010,
      localAs: 65101,
      description: "node01",
      remoteRouterId: "10.255.0.11",
      uptimeMs: 5000,
      holdTimeMs: 180_000,
      keepaliveMs: 60_000,
      configuredHoldTimeMs: 180_000,
      configuredKeepaliveMs: 60_000,
      gracefulRestart: {
        localMode: "Helper*",
        remoteMode: "Restart",
        peerRestartTimeS: 120,
        configuredRestartTimeS: 120,
        endOfRibReceived: true,
      },
      lastResetReason: expect.any(String),
    });
  });

  it("reads a dropped session (Active, no End-of-RIB, why it reset) and a killed BIRD's NSF close", () => {
    const down = ok(fixture("frr-show-bgp-neighbors.peer-down.frr-8.4.4.json")).find(
      (n) => n.description === "node02",
    );
    expect(down).toMatchObject({ state: "Active", lastResetReason: "BGP Notification received" });
    expect(down?.gracefulRestart).toMatchObject({ remoteMode: "NotApplicable" });
    expect(down?.gracefulRestart?.endOfRibReceived).toBeUndefined();
    const killed = ok(fixture("frr-show-bgp-neighbors.bird-killed-gr.frr-8.4.4.json")).find(
      (n) => n.description === "node01",
    );
    expect(killed).toMatchObject({ state: "Active", lastResetReason: "NSF peer closed the session" });
  });

  it("reads BFD on a session (the what-if BFD capture; Calico renders none)", () => {
    const [n1] = ok(fixture("frr-show-bgp-neighbors.whatif-bfd-healthy.frr-8.4.4.json"));
    expect(n1?.bfd).toEqual({
      status: "Up",
      type: "multi hop",
      detectMultiplier: 3,
      receiveIntervalMs: 300,
      transmitIntervalMs: 300,
    });
    expect(ok(fixture("frr-show-bgp-neighbors.healthy.frr-8.4.4.json"))[0]?.bfd).toBeUndefined();
  });

  it("reads asdot ASNs and answers PARSE_FAILED for shapes it does not know", () => {
    const [n] = ok(JSON.stringify({ "2001:db8::2": { remoteAs: "1.10", bgpState: "OpenSent" } }));
    expect(n).toEqual({ address: "2001:db8::2", remoteAs: 65_546, state: "OpenSent" });
    expect(ok("{}")).toEqual([]);
    const r = parseBgpNeighbors(JSON.stringify({ "2001:db8::2": { remoteAs: 1 } }));
    expect(r.ok ? "" : r.error.message).toMatch(/neighbor 2001:db8::2: unexpected shape at bgpState/);
    const t = parseBgpNeighbors(fixture("frr-show-bgp-neighbors.healthy.frr-8.4.4.json").slice(0, 2000));
    expect(t.ok ? "" : t.error.code).toBe("PARSE_FAILED");
  });
});
