// What a run's time axis takes from the live sources while it goes on: every change of the router's paths for the
// VIP and the service range, of its sessions and BFD, of the nodes and the API Service's endpoints, as events; the
// latest digests for the waits; and embedded etcd losing quorum beyond the node under test, which ends the run.
import {
  type ClusterDigest,
  type ClusterSnapshot,
  clusterDigest,
  clusterEvents,
  type Plan,
  type RouterDigest,
  type RouterSnapshot,
  routerDigest,
  routerEvents,
  type TimelineEvent,
} from "@k3s-ha/shared";

export interface TimelineSources {
  plan: Plan;
  router: () => RouterSnapshot | undefined;
  cluster: () => ClusterSnapshot | undefined;
  subscribe: (topic: "router" | "kubernetes", listener: () => void) => () => void;
}

/** Quorum is a majority of all members; the node under test counts as gone. */
export function quorumLost(snap: ClusterSnapshot, node: string | undefined): string | undefined {
  const members = snap.nodes.filter((n) => n.etcd);
  if (members.length === 0) return undefined;
  const quorum = Math.floor(members.length / 2) + 1;
  const others = members.filter((n) => n.name !== node && n.ready === "ready").length;
  return others < quorum
    ? `embedded etcd lost quorum: ${others} of ${members.length} members Ready besides ${node}`
    : undefined;
}

export class RunTimeline {
  router: RouterDigest | undefined;
  cluster: ClusterDigest | undefined;
  private readonly offs: (() => void)[];

  constructor(
    private readonly sources: TimelineSources,
    private readonly emit: (e: TimelineEvent) => void,
    private readonly onCluster: (snap: ClusterSnapshot) => void,
  ) {
    this.readRouter();
    this.readCluster();
    this.offs = [
      sources.subscribe("router", () => this.readRouter()),
      sources.subscribe("kubernetes", () => this.readCluster()),
    ];
  }

  /** The nodes the router's FIB sends the VIP to now. */
  vipNodes(): readonly string[] {
    return this.router?.paths[`the VIP ${this.sources.plan.network.apiVip}`] ?? [];
  }

  private readRouter(): void {
    const snap = this.sources.router();
    if (!snap) return;
    const { apiVip, serviceCidr } = this.sources.plan.network;
    const digest = routerDigest(snap, { vip: apiVip, serviceCidr });
    for (const e of routerEvents(this.router, digest)) this.emit(e);
    this.router = digest;
  }

  private readCluster(): void {
    const snap = this.sources.cluster();
    if (!snap) return;
    const digest = clusterDigest(snap, this.sources.plan.network.apiVip);
    for (const e of clusterEvents(this.cluster, digest)) this.emit(e);
    this.cluster = digest;
    this.onCluster(snap);
  }

  stop(): void {
    for (const off of this.offs) off();
  }
}
