// Which controller timings a run's predictions rest on: those of the server whose kube-controller-manager judges
// the stopped node (the leader's, or the others' when the node leads), upstream's when none sets them, the plan's
// only when no configuration could be read — each said with where it came from.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validatePlan } from "../plan/validate.js";
import { type ControllerReading, controllerFacts } from "./facts.js";

const r = validatePlan(
  parse(readFileSync(join(import.meta.dirname, "../../../../examples/lab.yaml"), "utf8")),
);
if (!r.ok) throw new Error("examples/lab.yaml");
const plan = r.plan;
const withPlanGrace = { ...plan, kubernetes: { ...plan.kubernetes, nodeMonitorGracePeriodS: 20 } };

const fast = {
  nodeMonitorGracePeriodMs: 8_000,
  nodeMonitorPeriodMs: 1_000,
  leaderLeaseMs: 4_000,
  leaderRetryMs: 1_000,
};
const reading = (over: Partial<ControllerReading> = {}): ControllerReading => ({
  servers: [
    { node: "node01", timings: fast },
    { node: "node02", timings: fast },
    { node: "node03", timings: fast },
  ],
  leader: "node01",
  leaseMs: 4_000,
  ...over,
});

describe("controller facts", () => {
  it("reads the timings the servers' k3s configuration sets, and whether the node under test leads", () => {
    expect(controllerFacts(plan, "node02", reading())).toEqual({
      nodeGraceMs: 8_000,
      nodeGraceFrom: "node01's k3s configuration",
      nodeMonitorPeriodMs: 1_000,
      controllerLeader: "node01",
      nodeLeadsControllers: false,
      controllerLeaseMs: 4_000,
      controllerRetryMs: 1_000,
    });
    const leads = controllerFacts(plan, "node01", reading());
    expect(leads).toMatchObject({
      nodeLeadsControllers: true,
      nodeGraceFrom: "node02, node03's k3s configuration",
    });
  });

  it("when the leader stops, the longest of the others' grace periods counts (either may take over)", () => {
    const f = controllerFacts(
      plan,
      "node01",
      reading({
        servers: [
          { node: "node01", timings: fast },
          { node: "node02", timings: { nodeMonitorGracePeriodMs: 20_000 } },
          { node: "node03", timings: {} },
        ],
      }),
    );
    expect(f.nodeGraceMs).toBe(50_000);
    expect(f.nodeGraceFrom).toBe(
      "the k3s configurations of node02 (20 s), node03 (50 s): the longest counts",
    );
  });

  it("upstream's 50 s when no server sets it, and says when the plan claims otherwise", () => {
    const none = reading({
      servers: [
        { node: "node01", timings: {} },
        { node: "node02", timings: {} },
      ],
    });
    expect(controllerFacts(withPlanGrace, "node02", none)).toMatchObject({
      nodeGraceMs: 50_000,
      nodeGraceFrom:
        "upstream's default: node01's k3s configuration sets no node-monitor-grace-period (the plan's 20 s is not what the servers run)",
      nodeMonitorPeriodMs: 5_000,
    });
  });

  it("the plan's value, or upstream's, when no configuration was read, with the reason", () => {
    const unread: ControllerReading = { servers: [{ node: "node01", error: "SSH_UNREACHABLE: timed out" }] };
    expect(controllerFacts(withPlanGrace, "node02", unread)).toMatchObject({
      nodeGraceMs: 20_000,
      nodeGraceFrom: "the plan (the servers' k3s configuration was not read: SSH_UNREACHABLE: timed out)",
      nodeLeadsControllers: false,
    });
    expect(controllerFacts(plan, "node02").nodeGraceMs).toBe(50_000);
  });
});
