// Controller and kubelet timings of a node's k3s stand-in: upstream's by default, shortened for tests on request
// (K3S_LAB_FAST_CONTROLLERS=1 or `lab up --fast-controllers`), so failover drills take seconds, not minutes.

export interface StandinTimings {
  /** node-monitor-grace-period (upstream 50 s since v1.32; 40 s before) and node-monitor-period (5 s). */
  nodeGracePeriodMs: number;
  nodeMonitorPeriodMs: number;
  /** The apiserver lease reconciler: DefaultEndpointReconcilerTTL 15 s, interval 10 s. */
  apiserverLeaseTtlMs: number;
  apiserverReconcileMs: number;
  /** Controller leader election (kube-controller-manager: lease 15 s, retry 2 s). */
  leaderLeaseMs: number;
  leaderRetryMs: number;
  /** Kubelet node-lease renewal (10 s) and node lease duration (40 s). */
  heartbeatMs: number;
  nodeLeaseSeconds: number;
  /** How often the kubelet stand-in looks at its pods' probes (each probe keeps its own periodSeconds). */
  kubeletSyncMs: number;
  /** Resync of the event-driven controllers (upstream-like 30 s). */
  resyncMs: number;
  /**
   * From 6443 listening to the apiserver being ready, during which everything but /ping and /cacerts answers 503
   * "apiserver not ready". The lab's choice (real k3s takes seconds, depending on the machine), not a measurement.
   */
  apiserverStartupMs: number;
}

export const UPSTREAM_TIMINGS: StandinTimings = {
  nodeGracePeriodMs: 50_000,
  nodeMonitorPeriodMs: 5_000,
  apiserverLeaseTtlMs: 15_000,
  apiserverReconcileMs: 10_000,
  leaderLeaseMs: 15_000,
  leaderRetryMs: 2_000,
  heartbeatMs: 10_000,
  nodeLeaseSeconds: 40,
  kubeletSyncMs: 1_000,
  resyncMs: 30_000,
  apiserverStartupMs: 2_000,
};

export const FAST_TIMINGS: StandinTimings = {
  nodeGracePeriodMs: 8_000,
  nodeMonitorPeriodMs: 1_000,
  apiserverLeaseTtlMs: 5_000,
  apiserverReconcileMs: 1_000,
  leaderLeaseMs: 4_000,
  leaderRetryMs: 1_000,
  heartbeatMs: 2_000,
  nodeLeaseSeconds: 8,
  kubeletSyncMs: 500,
  resyncMs: 5_000,
  apiserverStartupMs: 500,
};

export const FAST_ENV = "K3S_LAB_FAST_CONTROLLERS";

/** Fast when the lab was brought up so, or the environment asks for it. */
export function standinTimings(fast: boolean | undefined, env = process.env): StandinTimings {
  return fast || env[FAST_ENV] === "1" ? FAST_TIMINGS : UPSTREAM_TIMINGS;
}
