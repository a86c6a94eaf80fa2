import { describe, expect, it } from "vitest";
import { finding, findings, labPlan, nodeAt } from "./test-plan.js";

/** The lab plan with `servers` servers and the remaining of `total` nodes as agents. */
function withServers(servers: number, total = Math.max(servers, 3)) {
  return labPlan((p) => {
    const template = nodeAt(p, 0);
    p.nodes = Array.from({ length: total }, (_, i) => ({
      ...template,
      name: `node${String(i + 1).padStart(2, "0")}`,
      address: `2001:db8:1162:79fb::${(0x11 + i).toString(16)}`,
      role: i < servers ? ("server" as const) : ("agent" as const),
    }));
  });
}

const roles = (n: number) => Array.from({ length: n }, (_, i) => `nodes[${i}].role`);

describe("server count", () => {
  it("errors on two servers (no failure tolerated)", () => {
    expect(findings(withServers(2), "etcd-two-servers")).toEqual([
      finding("etcd-two-servers", "error", ...roles(2)),
    ]);
  });

  it("warns on an even count above two", () => {
    expect(findings(withServers(4), "etcd-even-servers")).toEqual([
      finding("etcd-even-servers", "warning", ...roles(4)),
    ]);
  });

  it("warns on a single server (no HA)", () => {
    expect(findings(withServers(1), "etcd-single-server")).toEqual([
      finding("etcd-single-server", "warning", ...roles(1)),
    ]);
  });

  it("errors when no node is a server", () => {
    expect(findings(withServers(0), "no-server-nodes")).toEqual([
      finding("no-server-nodes", "error", "nodes"),
    ]);
  });

  it.each([3, 5])("accepts %i servers", (n) => {
    const plan = withServers(n, n + 1);
    for (const id of ["etcd-two-servers", "etcd-even-servers", "etcd-single-server", "no-server-nodes"]) {
      expect(findings(plan, id)).toEqual([]);
    }
  });
});
