// A node source: Calico's own view of its BGP peers from `calicoctl node status` over SSH (sudo when the plan says so),
// mapped to the same peer shape as the router's, named after the plan. When SSH to the node fails, the node's
// CalicoNodeStatus (read by the cluster source) stands in, marked with its age: calico-node writes it only when the
// status changes, so it cannot tell a quiet calico-node from a dead one — calicoctl, asking BIRD now, comes first.
import { type BgpPeerView, bgpStates, type ClusterSnapshot, commands, type Plan } from "@k3s-ha/shared";
import type { SshPool } from "../plugins/ssh.js";
import { SshError } from "../plugins/ssh-connection.js";
import { CollectError, PartialRefresh } from "./poller.js";
import { planNames } from "./router.js";

export interface NodeSnapshot {
  /** Where the view comes from: calicoctl over SSH, or the node's CalicoNodeStatus when SSH fails. */
  via: "calicoctl" | "calico-node-status";
  /** The CalicoNodeStatus's lastUpdated (its age), when that is the source. */
  asOf?: string;
  calicoRunning: boolean;
  /** Whether the node's BIRD for IPv6 (bird6) runs. */
  bird6: "running" | "not-running" | "unknown";
  peers: BgpPeerView[];
}

/** The node's view from its CalicoNodeStatus, when one with a BGP status exists. */
export function nodeViewFromStatus(
  plan: Plan,
  node: string,
  cluster: ClusterSnapshot | undefined,
): NodeSnapshot | undefined {
  const status = cluster?.calico.nodeStatuses.find((s) => s.node === node && s.lastUpdated);
  if (!status) return undefined;
  const nameOf = planNames(plan);
  return {
    via: "calico-node-status",
    ...(status.lastUpdated ? { asOf: status.lastUpdated } : {}),
    calicoRunning: status.birdReady !== undefined,
    bird6: status.birdReady === undefined ? "unknown" : status.birdReady ? "running" : "not-running",
    peers: status.peers.map((p) => {
      const name = nameOf(p.address);
      const state = bgpStates.find((s) => s === p.state) ?? "Idle";
      return { source: `node:${node}` as const, address: p.address, ...(name ? { name } : {}), state };
    }),
  };
}

/** calicoctl over SSH; when SSH itself fails, the node's CalicoNodeStatus (if any) with the SSH error kept. */
export async function collectNodeView(
  pool: SshPool,
  plan: Plan,
  node: string,
  signal: AbortSignal,
  cluster: ClusterSnapshot | undefined,
): Promise<NodeSnapshot | PartialRefresh<NodeSnapshot>> {
  try {
    return await collectNode(pool, plan, node, signal);
  } catch (err) {
    const fallback = err instanceof SshError ? nodeViewFromStatus(plan, node, cluster) : undefined;
    if (!fallback || !(err instanceof SshError)) throw err;
    return new PartialRefresh(fallback, {
      code: err.code,
      message: `${err.message} (showing its CalicoNodeStatus of ${fallback.asOf ?? "unknown age"})`,
    });
  }
}

export async function collectNode(
  pool: SshPool,
  plan: Plan,
  node: string,
  signal: AbortSignal,
): Promise<NodeSnapshot> {
  const out = await pool.exec(node, "calicoctl-node-status", {}, signal);
  // calicoctl exits 1 when calico-node does not run; its message is the answer, on whichever stream it came.
  const text = out.stdout.trim() ? out.stdout : out.stderr;
  const parsed = commands["calicoctl-node-status"].parse(text);
  if (!parsed.ok) {
    const why = out.code !== 0 ? ` (exit ${out.code}: ${out.stderr.trim().split("\n")[0] ?? ""})` : "";
    throw new CollectError(
      parsed.error.code,
      `${parsed.error.commandId} on ${node}: ${parsed.error.message}${why}`,
    );
  }
  const s = parsed.value;
  const nameOf = planNames(plan);
  const v6 = s.ipv6;
  const peers: BgpPeerView[] =
    v6?.bird === "running"
      ? v6.peers.map((p) => {
          const name = nameOf(p.address);
          return {
            source: `node:${node}` as const,
            address: p.address,
            ...(name ? { name } : {}),
            state: p.state,
          };
        })
      : [];
  return {
    via: "calicoctl",
    calicoRunning: s.calicoRunning,
    bird6: !s.calicoRunning
      ? "not-running"
      : v6
        ? v6.bird === "running"
          ? "running"
          : "not-running"
        : "unknown",
    peers,
  };
}
