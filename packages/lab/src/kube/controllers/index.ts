// Starting the lab's controllers inside one API server process: the lease reconciler on every process, the
// controller-manager loops and the MetalLB controller only where this process holds their leader Lease.
import type { KubeApi } from "../api-server.js";
import { ApiserverEndpoints, type ApiserverEndpointsOptions } from "./apiserver-endpoints.js";
import { daemonSetController } from "./daemonset.js";
import { deploymentController } from "./deployment.js";
import { disruptionController } from "./disruption.js";
import { endpointsController } from "./endpoints.js";
import { LeaderElection } from "./leader.js";
import { type MetalLbOptions, metallbController } from "./metallb.js";
import { mirroringController } from "./mirroring.js";
import { type NodeLifecycleOptions, nodeLifecycleController } from "./node-lifecycle.js";
import { replicaSetController } from "./replicaset.js";
import { type Controller, type ControllerHealth, ControllerLoop } from "./runtime.js";

export interface ControllersOptions {
  /** This process's identity in leader election (the node name). */
  identity: string;
  /** The apiserver lease reconciler for default/kubernetes (omit to not run it). */
  apiserver?: Omit<ApiserverEndpointsOptions, "identity"> & { identity?: string };
  nodeLifecycle?: NodeLifecycleOptions | false;
  metallb?: MetalLbOptions | false;
  endpoints?: boolean;
  mirroring?: boolean;
  disruption?: boolean;
  /** The Deployment, ReplicaSet and DaemonSet controllers (default on). */
  workloads?: boolean;
  /** Resync period of the event-driven controllers (default 30 s). */
  resyncMs?: number;
  leaderElection?: { leaseDurationMs?: number; retryPeriodMs?: number };
}

export interface RunningControllers {
  /** Which leases this process holds now. */
  leading(): { controllerManager: boolean; metallb: boolean };
  health(): ControllerHealth[];
  /** Runs every leading controller once, now (tests). */
  syncNow(): void;
  /** Stops everything; graceful also releases leases and removes this apiserver from default/kubernetes at once. */
  stop(options?: { graceful?: boolean }): void;
}

class LeaderGroup {
  readonly loops: ControllerLoop[];
  readonly election: LeaderElection;

  constructor(
    kube: KubeApi,
    readonly name: string,
    identity: string,
    controllers: Controller[],
    opts: ControllersOptions["leaderElection"],
  ) {
    this.loops = controllers.map((c) => new ControllerLoop(kube.client, c));
    this.election = new LeaderElection(
      kube.client.as(name),
      {
        name,
        identity,
        ...(opts?.leaseDurationMs ? { leaseDurationMs: opts.leaseDurationMs } : {}),
        ...(opts?.retryPeriodMs ? { retryPeriodMs: opts.retryPeriodMs } : {}),
      },
      (leading) => {
        for (const l of this.loops)
          if (leading) l.start();
          else l.stop();
      },
    );
  }
}

export function startControllers(kube: KubeApi, options: ControllersOptions): RunningControllers {
  const client = kube.client;
  const resync = options.resyncMs === undefined ? {} : { resyncMs: options.resyncMs };
  const kcm: Controller[] = [];
  if (options.nodeLifecycle !== false) kcm.push(nodeLifecycleController(client, options.nodeLifecycle ?? {}));
  if (options.endpoints !== false) kcm.push(endpointsController(client, resync));
  if (options.mirroring !== false) kcm.push(mirroringController(client, resync));
  if (options.disruption !== false) kcm.push(disruptionController(client, resync));
  if (options.workloads !== false)
    kcm.push(
      deploymentController(client, resync),
      replicaSetController(client, resync),
      daemonSetController(client, resync),
    );
  const groups = [
    new LeaderGroup(kube, "kube-controller-manager", options.identity, kcm, options.leaderElection),
  ];
  if (options.metallb !== false) {
    const mb = metallbController(client, { ...resync, ...(options.metallb ?? {}) });
    groups.push(new LeaderGroup(kube, "metallb-controller", options.identity, [mb], options.leaderElection));
  }
  const reconciler = options.apiserver
    ? new ApiserverEndpoints(client, { identity: options.identity, ...options.apiserver })
    : undefined;
  reconciler?.start();
  for (const g of groups) g.election.start();
  return {
    leading: () => ({
      controllerManager: groups[0]?.election.isLeader ?? false,
      metallb: groups[1]?.election.isLeader ?? false,
    }),
    health: () => groups.flatMap((g) => g.loops.map((l) => ({ ...l.health }))),
    syncNow() {
      for (const g of groups) if (g.election.isLeader) for (const l of g.loops) l.runOnce();
      reconciler?.tick();
    },
    stop(stopOptions = {}) {
      // kube-controller-manager never releases its lease (ReleaseOnCancel is off; it exits on losing it): the
      // next leader takes over only when the lease expires. The lab's MetalLB stand-in hands over at once, as
      // MetalLB's own controller pod keeps running when k3s stops.
      for (const g of groups)
        g.election.stop(stopOptions.graceful === true && g.name !== "kube-controller-manager");
      reconciler?.stop(stopOptions.graceful === true);
    },
  };
}
