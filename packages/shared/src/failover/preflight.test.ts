import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validatePlan } from "../plan/validate.js";
import type { ClusterNode, ClusterSnapshot } from "../protocol/cluster.js";
import { runRequestSchema } from "../protocol/failover.js";
import { preflight } from "./preflight.js";

const r = validatePlan(
  parse(readFileSync(join(import.meta.dirname, "../../../../examples/lab.yaml"), "utf8")),
);
if (!r.ok) throw new Error("examples/lab.yaml");
const plan = r.plan;

const node = (name: string, ready: ClusterNode["ready"]): ClusterNode => ({
  name,
  ready,
  roles: ["control-plane", "etcd", "master"],
  etcd: true,
  controlPlane: true,
  addresses: [],
  unschedulable: false,
  excludedFromLoadBalancers: false,
  taints: [],
  problems: [],
});
const cluster = (...nodes: ClusterNode[]): ClusterSnapshot => ({
  resources: {},
  nodes,
  apiService: null,
  loadBalancerServices: [],
  metallb: {
    installed: false,
    controllers: [],
    speakers: [],
    pools: [],
    l2Advertisements: [],
    bgpAdvertisements: [],
    bgpPeers: [],
  },
  calico: { bgpConfigurations: [], bgpPeers: [], bgpFilters: [], nodeStatuses: [] },
});

describe("failover preflight", () => {
  it("passes with three Ready etcd servers, one under test", () => {
    const c = cluster(node("node01", "ready"), node("node02", "ready"), node("node03", "ready"));
    expect(preflight({ plan, cluster: c, scenario: "stop-k3s", node: "node02" })).toEqual([]);
  });

  it("refuses when etcd would lose quorum or no other server is Ready, and names the numbers", () => {
    const one = cluster(node("node01", "ready"), node("node02", "ready"), node("node03", "not-ready"));
    expect(preflight({ plan, cluster: one, scenario: "stop-k3s", node: "node02" })).toEqual([
      {
        id: "etcd-quorum",
        message: "embedded etcd needs 2 of 3 members; without node02 only 1 Ready would remain",
      },
    ]);
    const alone = cluster(node("node01", "not-ready"), node("node02", "ready"), node("node03", "unknown"));
    expect(
      preflight({ plan, cluster: alone, scenario: "hard-fault", node: "node02" }).map((x) => x.id),
    ).toEqual(["no-other-server-ready", "etcd-quorum"]);
  });

  it("refuses a node outside the plan, an unreadable cluster and a held lock; observe needs only the lock free", () => {
    expect(preflight({ plan, cluster: undefined, scenario: "stop-k3s", node: "node09" })[0]?.id).toBe(
      "node-not-in-plan",
    );
    expect(preflight({ plan, cluster: undefined, scenario: "stop-k3s", node: "node01" })[0]?.id).toBe(
      "cluster-unknown",
    );
    expect(
      preflight({ plan, cluster: undefined, scenario: "observe", lockHeldBy: "setup step metallb (admin)" }),
    ).toEqual([
      {
        id: "operation-in-progress",
        message: "setup step metallb (admin) holds the cluster's operation lock",
      },
    ]);
    expect(preflight({ plan, cluster: undefined, scenario: "observe" })).toEqual([]);
  });
});

describe("run requests", () => {
  it("take defaults, and name the field that is wrong", () => {
    expect(runRequestSchema.parse({ scenario: "observe", confirm: true })).toMatchObject({
      intervalMs: 100,
      timeoutMs: 1_000,
      durationS: 120,
      request: "readyz",
    });
    const bad = (body: unknown) => {
      const p = runRequestSchema.safeParse(body);
      return p.success ? "ok" : `${p.error.issues[0]?.path.join(".")}: ${p.error.issues[0]?.message}`;
    };
    expect(bad({ scenario: "stop-k3s", confirm: true })).toBe("node: stop-k3s needs the node it acts on");
    expect(bad({ scenario: "hard-fault", node: "node01", confirm: true })).toMatch(
      /^faultS: hard-fault needs faultS/,
    );
    expect(bad({ scenario: "observe", intervalMs: 10, confirm: true })).toMatch(/^intervalMs: /);
    expect(bad({ scenario: "observe", durationS: 1_801, confirm: true })).toMatch(/^durationS: /);
    expect(bad({ scenario: "observe" })).toMatch(/^confirm: /);
    expect(bad({ scenario: "observe", confirm: true, command: "rm -rf /" })).toMatch(/Unrecognized key/);
    expect(bad({ scenario: "hard-fault", node: "node01", faultS: 30, durationS: 20, confirm: true })).toBe(
      "faultS: faultS must be shorter than durationS",
    );
  });
});
