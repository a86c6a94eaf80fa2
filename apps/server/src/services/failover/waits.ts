// When a scenario's wait is over, decided from what the run has seen: its own probes of the node (an answer after
// the action, or a failure and then an answer), the router's view (the node's VIP path gone or back, its session
// established again since the action), the cluster's (the node Ready), or the fault's length.
import type { ClusterDigest, RouterSnapshot, WaitCondition } from "@k3s-ha/shared";

export interface WaitView {
  node: string;
  /** The run's clock now, and when the action took effect. */
  nowMs: number;
  sinceMs: number;
  faultS: number;
  /** The latest successful and failed probe start of an endpoint (`node:<name>`), on the run's clock. */
  lastOkAtMs: (endpoint: string) => number | undefined;
  lastFailAtMs: (endpoint: string) => number | undefined;
  vipNodes: readonly string[];
  cluster: ClusterDigest | undefined;
  router: RouterSnapshot | undefined;
  /** A direct `/readyz` to the node when no probe has said so yet. */
  nodeApiReady: () => Promise<boolean>;
}

export async function conditionMet(condition: WaitCondition, v: WaitView): Promise<boolean> {
  const self = `node:${v.node}`;
  switch (condition) {
    case "node-api-ready":
      return (v.lastOkAtMs(self) ?? -1) > v.sinceMs || (await v.nodeApiReady());
    case "fault-over":
      return v.nowMs >= v.sinceMs + v.faultS * 1_000;
    case "node-back": {
      const failed = v.lastFailAtMs(self) ?? -1;
      return failed > v.sinceMs && (v.lastOkAtMs(self) ?? -1) > failed;
    }
    case "node-ready":
      return v.cluster?.nodes[v.node]?.ready === "ready";
    case "router-vip-path-withdrawn":
      return !v.vipNodes.includes(v.node);
    case "router-vip-path-back":
      return v.vipNodes.includes(v.node);
    case "bird-back": {
      // A session established again since the kill (FRR's time has 1 s resolution: 2 s of slack).
      const peer = v.router?.peers.find((p) => p.name === v.node);
      if (peer?.state !== "Established" || !peer.establishedAt) return false;
      const sinceWall = Date.now() - (v.nowMs - v.sinceMs);
      return Date.parse(peer.establishedAt) >= sinceWall - 2_000;
    }
  }
}
