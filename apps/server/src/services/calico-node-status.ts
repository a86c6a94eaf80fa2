// Creates one CalicoNodeStatus per plan node that has none: calico-node fills only objects someone created for its
// node, so Calico's own view of its BGP sessions can be read through the API (Agent and BGP classes, every 10 s).
// Idempotent: a node that has one (by spec.node) is left alone; an object that appeared meanwhile (409) counts as
// existing.
import type { ClusterSnapshot, Plan } from "@k3s-ha/shared";
import { AppError } from "../errors.js";
import { type KubeAccess, KubeError } from "../plugins/kube.js";

export const FIELD_MANAGER = "k3s-ha-console";
const PATH = "/apis/crd.projectcalico.org/v1/caliconodestatuses";

export interface NodeStatusResult {
  created: string[];
  existing: string[];
}

export const nodeStatusName = (node: string) => `k3s-ha-${node}`;

export function nodeStatusObject(node: string) {
  return {
    apiVersion: "crd.projectcalico.org/v1",
    kind: "CalicoNodeStatus",
    metadata: { name: nodeStatusName(node), labels: { "app.kubernetes.io/managed-by": FIELD_MANAGER } },
    spec: { node, classes: ["Agent", "BGP"], updatePeriodSeconds: 10 },
  };
}

/** The plan's nodes that no CalicoNodeStatus reports on yet. */
export function nodesWithoutStatus(plan: Plan, cluster: ClusterSnapshot | undefined): string[] {
  const covered = new Set((cluster?.calico.nodeStatuses ?? []).map((s) => s.node));
  return plan.nodes.map((n) => n.name).filter((n) => !covered.has(n));
}

export async function createNodeStatuses(
  kube: KubeAccess,
  plan: Plan,
  cluster: ClusterSnapshot | undefined,
): Promise<NodeStatusResult> {
  if (cluster && cluster.resources.caliconodestatuses?.status === "absent")
    throw new AppError(
      "CALICO_NOT_INSTALLED",
      "the cluster has no CalicoNodeStatus resource (Calico's CRDs)",
    );
  const result: NodeStatusResult = {
    created: [],
    existing: plan.nodes.map((n) => n.name).filter((n) => !nodesWithoutStatus(plan, cluster).includes(n)),
  };
  for (const node of nodesWithoutStatus(plan, cluster)) {
    try {
      await kube.postJson(`${PATH}?fieldManager=${FIELD_MANAGER}`, nodeStatusObject(node), {
        verb: "create",
        resource: "caliconodestatuses.crd.projectcalico.org",
      });
      result.created.push(node);
    } catch (err) {
      if (err instanceof KubeError && err.code === "K8S_CONFLICT") result.existing.push(node);
      else if (err instanceof KubeError)
        throw new AppError(err.code === "K8S_FORBIDDEN" ? "K8S_FORBIDDEN" : "K8S_UNAVAILABLE", err.message, {
          created: result.created,
        });
      else throw err;
    }
  }
  return result;
}
