import { describe, expect, it } from "vitest";
import { failoverScenarios } from "../protocol/failover.js";
import { restorePlan, scenarios } from "./scenarios.js";

describe("failover scenarios as data", () => {
  it("has one entry per scenario the API accepts, each with steps", () => {
    expect(Object.keys(scenarios).sort()).toEqual([...failoverScenarios].sort());
    for (const s of Object.values(scenarios)) expect(s.steps.length).toBeGreaterThan(0);
  });

  it("leaves nothing stopped: a step that stops or cordons has a restore, or waits for the node to come back", () => {
    const undone = ["stop-k3s", "cordon", "exclude-from-load-balancers", "stop-bgp"];
    for (const s of Object.values(scenarios))
      for (const step of s.steps)
        if (undone.includes(step.action)) expect(step.restore, `${s.id}/${step.id}`).toBeDefined();
  });

  it("restores in reverse: graceful maintenance starts k3s, uncordons, then waits for the VIP path", () => {
    expect(restorePlan(scenarios["graceful-maintenance"], 4)).toEqual([
      { action: "start-k3s", waitFor: "node-api-ready" },
      { action: "uncordon" },
      { action: "include-in-load-balancers", waitFor: "router-vip-path-back" },
    ]);
    // Aborted after the first step: only that step is undone.
    expect(restorePlan(scenarios["graceful-maintenance"], 1)).toEqual([
      { action: "include-in-load-balancers", waitFor: "router-vip-path-back" },
    ]);
  });
});
