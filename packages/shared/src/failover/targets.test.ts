// What a run probes: the plan's VIP, names and servers (never an agent), the node under test always, nothing else.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validatePlan } from "../plan/validate.js";
import { dialableAddresses, runTargets } from "./targets.js";

const r = validatePlan(
  parse(readFileSync(join(import.meta.dirname, "../../../../examples/lab.yaml"), "utf8")),
);
if (!r.ok) throw new Error("examples/lab.yaml");
const plan = r.plan;

describe("run targets", () => {
  it("probes the VIP, both names and each server by default", () => {
    const r = runTargets(plan, undefined, undefined);
    expect(r.ok && r.targets.map((t) => t.endpoint)).toEqual([
      "vip",
      "vip-name",
      "round-robin",
      ...plan.nodes.filter((n) => n.role === "server").map((n) => `node:${n.name}`),
    ]);
  });

  it("adds the node under test to a subset, and refuses an endpoint the plan lacks", () => {
    const server = plan.nodes.find((n) => n.role === "server")?.name ?? "";
    const r = runTargets(plan, ["vip"], server);
    expect(r.ok && r.targets.map((t) => t.endpoint)).toEqual(["vip", `node:${server}`]);
    expect(runTargets(plan, ["node:nope"], undefined)).toEqual({
      ok: false,
      message: "node:nope is not a server of the plan",
    });
  });

  it("writes the VIP and the servers' addresses as the kernel and the resolver do, however the plan spells them", () => {
    const loud = {
      ...plan,
      network: { ...plan.network, apiVip: plan.network.apiVip.toUpperCase().replace("::", ":0:0:") },
      nodes: plan.nodes.map((n) => ({ ...n, address: n.address.toUpperCase() })),
    };
    const r = runTargets(loud, undefined, undefined);
    expect(r.ok && r.targets.filter((t) => t.address).map((t) => t.address)).toEqual([
      plan.network.apiVip,
      ...plan.nodes.filter((n) => n.role === "server").map((n) => n.address),
    ]);
  });

  it("lets a name resolve only to the VIP and the servers", () => {
    expect(dialableAddresses(plan)).toEqual([
      plan.network.apiVip,
      ...plan.nodes.filter((n) => n.role === "server").map((n) => n.address),
    ]);
  });
});
