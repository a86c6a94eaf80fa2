// A node source: Calico's own view of its BGP peers from `calicoctl node status` over SSH (sudo when the plan says so),
// mapped to the same peer shape as the router's, named after the plan. (CalicoNodeStatus through the API comes with the
// Kubernetes source; calico-node fills only objects someone created.)
import { type BgpPeerView, commands, type Plan } from "@k3s-ha/shared";
import type { SshPool } from "../plugins/ssh.js";
import { CollectError } from "./poller.js";
import { planNames } from "./router.js";

export interface NodeSnapshot {
  calicoRunning: boolean;
  /** Whether the node's BIRD for IPv6 (bird6) runs. */
  bird6: "running" | "not-running" | "unknown";
  peers: BgpPeerView[];
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
