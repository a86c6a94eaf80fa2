// A run's preflight, pure: what must hold before a scenario acts on a node — the node is in the plan; another server
// is Ready; embedded etcd keeps quorum with this server gone (counted from the Ready nodes labelled etcd); no other
// run and no setup apply holds the cluster's operation lock. Each reason says what is wrong, for the 409 and the page.
import type { Plan } from "../plan/schema.js";
import type { ClusterSnapshot } from "../protocol/cluster.js";

export interface PreflightInput {
  plan: Plan;
  /** The cluster as the informers see it; undefined when it cannot be read (which blocks a destructive run). */
  cluster: ClusterSnapshot | undefined;
  scenario: string;
  node?: string;
  /** Who holds the cluster's operation lock (a run or a setup apply), if anyone. */
  lockHeldBy?: string;
}

export interface PreflightReason {
  id:
    | "node-not-in-plan"
    | "no-other-server-ready"
    | "etcd-quorum"
    | "operation-in-progress"
    | "cluster-unknown";
  message: string;
}

export function preflight(input: PreflightInput): PreflightReason[] {
  const { plan, cluster, node, scenario } = input;
  const reasons: PreflightReason[] = [];
  if (input.lockHeldBy)
    reasons.push({
      id: "operation-in-progress",
      message: `${input.lockHeldBy} holds the cluster's operation lock`,
    });
  if (scenario === "observe") return reasons;
  if (!node || !plan.nodes.some((n) => n.name === node)) {
    reasons.push({ id: "node-not-in-plan", message: `${node ?? "(none)"} is not a node of the plan` });
    return reasons;
  }
  if (!cluster) {
    reasons.push({
      id: "cluster-unknown",
      message: "the cluster cannot be read: nothing proves another server is up",
    });
    return reasons;
  }
  const servers = new Set(plan.nodes.filter((n) => n.role === "server").map((n) => n.name));
  const readyServers = cluster.nodes.filter(
    (n) => n.ready === "ready" && (n.controlPlane || servers.has(n.name)),
  );
  if (!readyServers.some((n) => n.name !== node))
    reasons.push({
      id: "no-other-server-ready",
      message: `no server but ${node} is Ready: the API would be gone`,
    });
  const members = cluster.nodes.filter((n) => n.etcd);
  if (members.length > 0) {
    // Quorum is a majority of all members; the node under test counts as gone.
    const quorum = Math.floor(members.length / 2) + 1;
    const left = members.filter((n) => n.ready === "ready" && n.name !== node).length;
    if (left < quorum)
      reasons.push({
        id: "etcd-quorum",
        message: `embedded etcd needs ${quorum} of ${members.length} members; without ${node} only ${left} Ready would remain`,
      });
  }
  return reasons;
}
