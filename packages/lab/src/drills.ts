// Failover drills: inject a fault, time the router's FIB change for the VIP, heal, time the return to all paths.

import { sleep } from "./exec.js";
import {
  blackholeNode,
  cutLink,
  healBlackhole,
  killBird,
  killCalicoNode,
  restoreLink,
  startBirdAgain,
  startCalicoNodeAgain,
  startK3s,
  stopBirdGracefully,
  stopK3s,
} from "./faults.js";
import { createKubeApi, R } from "./kube/index.js";
import { kubeDbFile } from "./kube-state.js";
import { fibNextHops, peerStates, waitForConverged, waitForFib } from "./routes.js";
import type { BgpMode, LabTopology } from "./topology.js";

export interface DrillResult {
  /** ms from the fault to the router's FIB dropping the node's next hop for the VIP; undefined = not within the wait. */
  failoverMs: number | undefined;
  /** ms from healing to all nodes' next hops being back. */
  rejoinMs: number;
}

export interface Drill {
  id: string;
  title: string;
  /** The BGP mode the drill needs. */
  mode: BgpMode;
  /** How long to wait for the FIB change before calling it "not withdrawn". */
  waitMs: number;
  fault(t: LabTopology, node: string): Promise<void>;
  heal(t: LabTopology, node: string): Promise<void>;
}

/** Which node holds the kube-controller-manager lease now (the lab's shared store). */
export function controllerLeader(t: LabTopology): string | undefined {
  const kube = createKubeApi({
    dbFile: kubeDbFile(t),
    config: { serviceCidr: t.serviceCidr },
    compactIntervalMs: 0,
  });
  try {
    const lease = kube.client.get(R.leases, "kube-system", "kube-controller-manager");
    return (lease?.spec as { holderIdentity?: string } | undefined)?.holderIdentity;
  } finally {
    kube.close();
  }
}

/** The node a drill stopped (for its heal), when the fault chooses the node itself. */
let chosen: string | undefined;

export const drills: Drill[] = [
  {
    id: "graceful",
    title: "graceful (birdc down)",
    mode: "default",
    waitMs: 5_000,
    fault: stopBirdGracefully,
    heal: startBirdAgain,
  },
  {
    id: "hard-fast",
    title: "hard fault (nft drop), keepalive 1 / hold 3",
    mode: "fast",
    waitMs: 15_000,
    fault: (t, node) => blackholeNode(t, node, 60),
    heal: healBlackhole,
  },
  {
    id: "link-fast",
    title: "link down, keepalive 1 / hold 3",
    mode: "fast",
    waitMs: 15_000,
    fault: cutLink,
    heal: restoreLink,
  },
  {
    id: "hard-bfd",
    title: "hard fault (nft drop), BFD 100 ms x 3",
    mode: "bfd",
    waitMs: 15_000,
    fault: (t, node) => blackholeNode(t, node, 60),
    heal: healBlackhole,
  },
  {
    id: "killed-gr",
    title: "BIRD killed, runit restarts it with -R (Calico default)",
    mode: "default",
    waitMs: 10_000,
    fault: killBird,
    heal: startBirdAgain,
  },
  {
    id: "calico-node-killed",
    title: "calico-node killed: BIRD stays down, graceful restart holds stale paths (up to 120 s)",
    mode: "default",
    waitMs: 150_000,
    fault: killCalicoNode,
    heal: startCalicoNodeAgain,
  },
  {
    id: "k3s-stopped",
    title:
      "k3s stopped on a node that does not lead kube-controller-manager: VIP withdrawn once the endpoint is not ready",
    mode: "default",
    waitMs: 150_000,
    fault: async (t, node) => {
      const leader = controllerLeader(t);
      chosen = node === leader ? t.nodes.find((n) => n.name !== leader)?.name : node;
      await stopK3s(t, chosen ?? node);
    },
    heal: async (t, node) => {
      await startK3s(t, chosen ?? node);
    },
  },
  {
    id: "k3s-stopped-leader",
    title: "k3s stopped on the kube-controller-manager leader: lease expiry, then a full grace period",
    mode: "default",
    waitMs: 150_000,
    fault: async (t, node) => {
      chosen = controllerLeader(t) ?? node;
      await stopK3s(t, chosen);
    },
    heal: async (t, node) => {
      await startK3s(t, chosen ?? node);
    },
  },
  {
    id: "hard-default",
    title: "hard fault (nft drop), default timers",
    mode: "default",
    waitMs: 200_000,
    fault: (t, node) => blackholeNode(t, node, 240),
    heal: healBlackhole,
  },
];

export function findDrill(id: string): Drill {
  const drill = drills.find((d) => d.id === id);
  if (!drill) throw new Error(`no drill "${id}" (${drills.map((d) => d.id).join(", ")})`);
  return drill;
}

/** Runs one drill on a converged lab already in the drill's BGP mode. */
export async function runDrill(t: LabTopology, drill: Drill, node: string): Promise<DrillResult> {
  const vip = `${t.vip}/128`;
  const all = t.nodes.length;
  await settled(t);
  const since = Date.now();
  await drill.fault(t, node);
  const failoverMs = await waitForFib(t, vip, (n) => n < all, {
    since,
    timeoutMs: drill.waitMs,
    intervalMs: 20,
  });
  const healedAt = Date.now();
  await drill.heal(t, node);
  await waitForConverged(t, { timeoutMs: 60_000 });
  const rejoinMs = Date.now() - healedAt;
  return { failoverMs, rejoinMs };
}

/** A clean baseline: every session established and all next hops in the FIB, holding for a second. */
async function settled(t: LabTopology): Promise<void> {
  for (let attempt = 0; attempt < 10; attempt++) {
    await waitForConverged(t, { timeoutMs: 60_000 });
    await sleep(1_000);
    const states = Object.values(await peerStates(t));
    const fib = await fibNextHops(t, `${t.vip}/128`);
    if (
      fib === t.nodes.length &&
      states.length === t.nodes.length &&
      states.every((s) => s === "Established")
    )
      return;
  }
  throw new Error("the lab did not settle (sessions or next hops keep changing)");
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
