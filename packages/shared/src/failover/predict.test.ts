// Predictions with their reasons, from the timers of a three-server lab: the node's own address is gone for the whole
// fault, a third of new VIP connections fail until BGP or endpoint readiness ends the path, Go's dialer loses the
// drop when the dead address is first (a third of the time), a graceful maintenance costs nothing.
import { describe, expect, it } from "vitest";
import { disagrees, type PredictionFacts, type PredictionInput, predict } from "./predict.js";

const facts: PredictionFacts = {
  routerKnown: true,
  vipPaths: 3,
  nodeHasVipPath: true,
  holdTimeMs: 3_000,
  keepaliveMs: 1_000,
  grRestartS: 120,
  bfd: false,
  calicoVersion: "v3.31.7",
  calicoHonoursReadiness: true,
  nodeGraceMs: 8_000,
  nodeMonitorPeriodMs: 5_000,
  restartSecMs: 5_000,
  dnsTtlS: 60,
};
const base: PredictionInput = {
  scenario: "hard-fault",
  endpoint: "node:node02",
  mode: "new",
  node: "node02",
  faultMs: 2_000,
  timeoutMs: 1_000,
  dial: "go",
  servers: 3,
  facts,
};
const p = (over: Partial<PredictionInput>) => predict({ ...base, ...over });

describe("failover predictions", () => {
  it("a hard fault: the node's own address for its length; other nodes nothing", () => {
    expect(p({})).toEqual({
      downtimeMs: 2_000,
      reason: "its own address is unavailable while every packet to and from it is dropped for 2 s",
    });
    expect(p({ endpoint: "node:node01" }).downtimeMs).toBe(0);
  });

  it("a hard fault through the VIP: a third of new connections while BGP keeps the path", () => {
    const r = p({ endpoint: "vip" });
    expect(r.downtimeMs).toBe(670);
    expect(r.reason).toMatch(
      /^1 in 3 new connections hash to node02 .* the BGP session outlives the drop \(hold 3 s, and Calico has no BFD\)/,
    );
    // A drop longer than the hold time: the router withdraws after 3 s.
    expect(p({ endpoint: "vip", faultMs: 10_000 })).toMatchObject({ downtimeMs: 1_000 });
    expect(p({ endpoint: "vip", faultMs: 10_000 }).reason).toMatch(/the BGP hold time \(3 s\) ends the path/);
  });

  it("stop-k3s through the VIP: until the endpoint turns not ready, or the whole stop with an old Calico", () => {
    const r = p({ scenario: "stop-k3s", endpoint: "vip", faultMs: 30_000 });
    expect(r.downtimeMs).toBe(3_500); // (8 s grace + 2.5 s) / 3
    expect(r.reason).toMatch(/node-monitor grace period \(8 s\)/);
    const old = p({
      scenario: "stop-k3s",
      endpoint: "vip",
      faultMs: 30_000,
      facts: { ...facts, calicoHonoursReadiness: false, calicoVersion: "v3.31.3" },
    });
    expect(old.downtimeMs).toBe(10_000);
    expect(old.reason).toMatch(/Calico v3.31.3 keeps advertising/);
  });

  it("stop-k3s on the kube-controller-manager leader: the lease runs out before the grace period starts", () => {
    const leader = {
      ...facts,
      nodeGraceFrom: "node01's k3s configuration",
      controllerLeader: "node02",
      nodeLeadsControllers: true,
      controllerLeaseMs: 4_000,
      controllerRetryMs: 1_000,
    };
    const r = p({ scenario: "stop-k3s", endpoint: "vip", faultMs: 30_000, facts: leader });
    expect(r.downtimeMs).toBe(5_000); // (4 s lease + 0.5 s retry + 8 s grace + 2.5 s) / 3
    expect(r.reason).toContain("the node-monitor grace period (8 s, from node01's k3s configuration)");
    expect(r.reason).toContain(
      "another server's kube-controller-manager has taken over the lease node02 held (its 4 s run out first)",
    );
    // Back before even the lease runs out and the grace ends: the whole stop.
    expect(p({ scenario: "stop-k3s", endpoint: "vip", faultMs: 12_000, facts: leader }).downtimeMs).toBe(
      4_000,
    );
    // Unknown lease: kube-controller-manager's defaults (15 s, 2 s).
    const defaults = { ...facts, nodeLeadsControllers: true };
    expect(p({ scenario: "stop-k3s", endpoint: "vip", faultMs: 60_000, facts: defaults }).downtimeMs).toBe(
      8_830,
    );
    // Another node leads: no takeover.
    expect(
      p({
        scenario: "stop-k3s",
        endpoint: "vip",
        faultMs: 30_000,
        facts: { ...leader, nodeLeadsControllers: false },
      }).downtimeMs,
    ).toBe(3_500);
  });

  it("names: Go's dialer loses a dead first address; happy eyeballs and refusals do not", () => {
    const go = p({ endpoint: "round-robin" });
    expect(go.downtimeMs).toBe(670);
    expect(go.reason).toMatch(/kubectl's 30 s dial timeout would wait 10 s before the next address/);
    expect(p({ endpoint: "round-robin", dial: "happy-eyeballs" }).downtimeMs).toBe(0);
    expect(p({ endpoint: "round-robin", scenario: "stop-k3s" }).reason).toMatch(/refuses at once/);
  });

  it("graceful maintenance and a BGP withdraw cost new connections nothing; observe is nothing", () => {
    expect(p({ scenario: "graceful-maintenance", endpoint: "vip" }).downtimeMs).toBe(0);
    expect(p({ scenario: "bgp-withdraw", endpoint: "vip", mode: "reused" }).reason).toMatch(/ECMP rehash/);
    expect(p({ scenario: "observe", endpoint: "vip" })).toEqual({
      downtimeMs: 0,
      reason: "nothing is done to the cluster",
    });
  });

  it("says a measurement disagrees only beyond two intervals, a quarter and half a second", () => {
    expect(disagrees(2_096, 2_000, 100)).toBe(false);
    expect(disagrees(3_000, 2_000, 100)).toBe(true);
    expect(disagrees(300, 0, 100)).toBe(false);
    expect(disagrees(40_000, 3_500, 100)).toBe(true);
  });
});
