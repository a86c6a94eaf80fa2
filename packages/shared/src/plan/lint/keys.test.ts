import { describe, expect, it } from "vitest";
import { parsePlanYaml } from "../yaml.js";
import { lintPlan } from "./index.js";
import { labPlan, readExample } from "./test-plan.js";

describe("host-key-not-pinned", () => {
  it("says, as info, which hosts have no pinned key and how to pin or approve one", () => {
    const plan = labPlan((p) => {
      delete p.bgp.router.ssh.hostKey;
      delete (p.nodes[2] as (typeof p.nodes)[number]).ssh.hostKey;
    });
    const found = lintPlan(plan).filter((f) => f.id === "host-key-not-pinned");
    expect(found.map((f) => [f.severity, f.paths])).toEqual([
      ["info", ["bgp.router.ssh.hostKey"]],
      ["info", ["nodes[2].ssh.hostKey"]],
    ]);
    expect(found[0]?.fix).toMatch(/ssh-keyscan -t ed25519/);
  });

  it("is quiet when a known_hosts file is named instead, and for the lab plan", () => {
    const plan = labPlan((p) => {
      delete p.bgp.router.ssh.hostKey;
      p.bgp.router.ssh.knownHostsFile = "./known_hosts";
    });
    expect(lintPlan(plan).filter((f) => f.id === "host-key-not-pinned")).toEqual([]);
    expect(lintPlan(labPlan()).filter((f) => f.id === "host-key-not-pinned")).toEqual([]);
  });

  it("accepts a plan with no host keys and no TSIG key: it can be linted and drawn before they are collected", () => {
    const text = readExample("lab")
      .replace(/hostKey: "[^"]+", /g, "")
      .replace(/\n {2}tsig: .*\n/, "\n");
    const r = parsePlanYaml(text);
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.plan.dns.tsig).toBeUndefined();
    expect(lintPlan(r.plan).filter((f) => f.id === "host-key-not-pinned")).toHaveLength(4);
  });
});
