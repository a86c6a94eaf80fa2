// What a scenario should cost each way in, from the live timers and the plan, with the reasoning in a sentence:
// the VIP's ECMP share through the node, BGP hold time (Calico has no BFD), how long an endpoint stays ready after
// its kubelet stops (node-monitor grace period), whether this Calico honours endpoint readiness, the client's dial
// behaviour on a name, and what a kept-alive connection suffers when its path leaves. Pure; facts are taken at the
// run's start and kept with it, so a prediction never changes after the fact.
import type { FailoverScenario } from "../protocol/failover.js";
import type { ProbeMode } from "./samples.js";

export interface PredictionFacts {
  /** The router's view was known at the start (else every server is assumed to carry the VIP). */
  routerKnown: boolean;
  /** Servers with a FIB path for the VIP at the start (ECMP width); 0 when unknown. */
  vipPaths: number;
  /** Whether the node under test was one of them. */
  nodeHasVipPath: boolean;
  /** The negotiated BGP hold time of the node's session, when the router shows it. */
  holdTimeMs?: number;
  keepaliveMs?: number;
  /** Graceful restart time the node's BIRD announced. */
  grRestartS?: number;
  /** A BFD session with the node is up (Calico renders none; a lab what-if). */
  bfd: boolean;
  calicoVersion?: string;
  /** This Calico withdraws an eTP=Local VIP from a node whose endpoint is not ready (v3.31.0-6 and v3.32.1 do not). */
  calicoHonoursReadiness: boolean;
  /** kube-controller-manager's node-monitor-grace-period (50 s since v1.32) and its node-monitor-period. */
  nodeGraceMs: number;
  /** Where the grace period came from, for the reasoning ("node02's k3s configuration"). */
  nodeGraceFrom?: string;
  nodeMonitorPeriodMs: number;
  /** The kube-controller-manager lease's holder at the start, and whether that is the node under test. */
  controllerLeader?: string;
  nodeLeadsControllers?: boolean;
  /** The lease's duration and the candidates' retry period (a takeover waits for the lease to run out). */
  controllerLeaseMs?: number;
  controllerRetryMs?: number;
  /** k3s.service's RestartSec (5 s): how long after a kill systemd starts k3s again. */
  restartSecMs: number;
  /** The names' TTL. */
  dnsTtlS: number;
}

export interface PredictionInput {
  scenario: FailoverScenario;
  endpoint: string;
  mode: ProbeMode;
  node?: string;
  /** How long the fault lasts: a drop's length, or how long k3s stays stopped before the restore. */
  faultMs: number;
  timeoutMs: number;
  dial: "go" | "happy-eyeballs";
  servers: number;
  facts: PredictionFacts;
}

export interface Prediction {
  downtimeMs: number;
  reason: string;
}

const s = (ms: number) => `${ms % 1000 === 0 ? ms / 1000 : (ms / 1000).toFixed(1)} s`;
const round = (ms: number) => Math.round(ms / 10) * 10;

/** kube-controller-manager's leader election defaults (--leader-elect-lease-duration, --leader-elect-retry-period). */
const DEFAULT_LEASE_MS = 15_000;
const DEFAULT_RETRY_MS = 2_000;

/**
 * How long another server's controller manager needs to take over when the stopped node held the lease: the lease
 * runs out, then a candidate's next retry acquires it (half a retry period on average). Zero when it did not lead.
 */
const takeoverMs = (f: PredictionFacts) =>
  f.nodeLeadsControllers
    ? (f.controllerLeaseMs ?? DEFAULT_LEASE_MS) + (f.controllerRetryMs ?? DEFAULT_RETRY_MS) / 2
    : 0;

/**
 * How long until a stopped kubelet's endpoints are not ready: the grace period and up to one monitor period — counted
 * by the controller that leads, so from a takeover when the stopped node led (the new leader's node lifecycle
 * controller starts each node's clock when it first sees it).
 */
const endpointUnreadyMs = (f: PredictionFacts) => takeoverMs(f) + f.nodeGraceMs + f.nodeMonitorPeriodMs / 2;

/** "the node-monitor grace period (20 s, from node02's k3s configuration)", and the takeover when there is one. */
function graceWords(f: PredictionFacts, node: string | undefined): string {
  const grace = `the node-monitor grace period (${s(f.nodeGraceMs)}${f.nodeGraceFrom ? `, from ${f.nodeGraceFrom}` : ""})`;
  if (!f.nodeLeadsControllers) return grace;
  return `${grace}, counted only once another server's kube-controller-manager has taken over the lease ${node ?? "the node"} held (its ${s(f.controllerLeaseMs ?? DEFAULT_LEASE_MS)} run out first)`;
}

/** How long the node's own API is gone in each scenario (the rest follows from it). */
function nodeOutageMs(i: PredictionInput): { ms: number; why: string } | undefined {
  const f = i.facts;
  switch (i.scenario) {
    case "hard-fault":
      return { ms: i.faultMs, why: `every packet to and from it is dropped for ${s(i.faultMs)}` };
    case "stop-k3s":
    case "drain-stop":
    case "graceful-maintenance":
      return {
        ms: i.faultMs,
        why: `k3s stays stopped for ${s(i.faultMs)} (plus the time it takes to start again)`,
      };
    case "kill-k3s":
      return {
        ms: f.restartSecMs,
        why: `systemd starts a killed k3s after RestartSec (${s(f.restartSecMs)}), plus its start time`,
      };
    case "restart-k3s":
      return { ms: 0, why: "a restart takes as long as k3s needs to stop and start (seconds)" };
    case "node-restart":
      return { ms: 0, why: "it reboots (as long as the machine takes to boot and start k3s)" };
    default:
      return undefined;
  }
}

/**
 * What the router's ECMP rehash costs when a VIP path leaves or returns: its hash-threshold split moves some flows
 * to another server, also flows whose server stays, and a moved connection is reset there.
 */
function rehash(mode: ProbeMode): string {
  return mode === "reused"
    ? "a kept connection is reset when the ECMP rehash moves it, as the path leaves or returns (even one through another server: the split moves some of theirs too)"
    : "only a connection still in its handshake as the path leaves or returns can be reset by the ECMP rehash (a probe, marked as such)";
}

function vipPrediction(i: PredictionInput, outage: { ms: number; why: string }): Prediction {
  const f = i.facts;
  const n = Math.max(1, f.routerKnown ? f.vipPaths || i.servers : i.servers);
  if (f.routerKnown && !f.nodeHasVipPath)
    return { downtimeMs: 0, reason: `the router sends the VIP nowhere near ${i.node}` };
  const share = 1 / n;
  if (i.scenario === "graceful-maintenance")
    return {
      downtimeMs: 0,
      reason: `the router drops ${i.node}'s VIP path before k3s stops, so no new connection is sent there; ${rehash(i.mode)}`,
    };
  // How long the router keeps sending a share of connections to the broken node.
  let exposedMs = outage.ms;
  let because: string;
  if (i.scenario === "hard-fault") {
    const hold = f.bfd ? 300 : (f.holdTimeMs ?? 180_000);
    exposedMs = Math.min(outage.ms, hold);
    because =
      hold < outage.ms
        ? `${f.bfd ? "BFD" : `the BGP hold time (${s(hold)})`} ends the path before the drop does`
        : `the BGP session outlives the drop (hold ${s(hold)}${f.bfd ? "" : ", and Calico has no BFD"}), so the path stays`;
  } else if (f.calicoHonoursReadiness) {
    exposedMs = Math.min(outage.ms, endpointUnreadyMs(f));
    because =
      outage.ms > endpointUnreadyMs(f)
        ? `the kubelet stops with k3s, so the endpoint turns not ready only after ${graceWords(f, i.node)}, and Calico then withdraws the path`
        : `the node is back before its endpoint would turn not ready (after ${graceWords(f, i.node)})`;
  } else {
    because =
      `Calico ${f.calicoVersion ?? ""} keeps advertising the VIP from a node whose endpoint is not ready`.replace(
        "  ",
        " ",
      );
  }
  if (i.mode === "reused")
    return {
      downtimeMs: round(exposedMs * share),
      reason: `the one kept connection runs through ${i.node} with a chance of 1 in ${n}: then about ${s(exposedMs)} lost, else nothing; ${because}`,
    };
  return {
    downtimeMs: round(exposedMs * share),
    reason: `1 in ${n} new connections hash to ${i.node} while ${outage.why}; for ${s(exposedMs)}: ${because}`,
  };
}

function namePrediction(i: PredictionInput, outage: { ms: number; why: string }): Prediction {
  const n = Math.max(1, i.servers);
  const silent = i.scenario === "hard-fault";
  if (!silent)
    return {
      downtimeMs: 0,
      reason: `a stopped server refuses at once, and the client moves on to the next address (${i.dial === "go" ? "Go's dialer" : "happy eyeballs"}) after a few ms`,
    };
  if (i.dial === "happy-eyeballs")
    return {
      downtimeMs: 0,
      reason: `when ${i.node}'s address comes first, happy eyeballs tries the next after its attempt timeout: slower, not failed`,
    };
  const first = `${i.node}'s address comes first in the answer with a chance of 1 in ${n} (kept for the TTL, ${i.facts.dnsTtlS} s)`;
  if (i.timeoutMs < 2_000 * n)
    return {
      downtimeMs: round(outage.ms / n),
      reason: `${first}; Go's dialer then gives that dead address the whole ${s(i.timeoutMs)} timeout (at least 2 s per address), so those probes fail — kubectl's 30 s dial timeout would wait ${s(30_000 / n)} before the next address`,
    };
  return {
    downtimeMs: 0,
    reason: `${first}; with ${s(i.timeoutMs)} Go's dialer gives each address ${s(i.timeoutMs / n)} and reaches the next one in time`,
  };
}

export function predict(i: PredictionInput): Prediction {
  if (i.scenario === "observe") return { downtimeMs: 0, reason: "nothing is done to the cluster" };
  const direct = i.endpoint === `node:${i.node}`;
  if (i.endpoint.startsWith("node:") && !direct)
    return {
      downtimeMs: 0,
      reason: `${i.endpoint.slice(5)} is not touched and is probed at its own address`,
    };
  if (i.scenario === "kill-bird")
    return {
      downtimeMs: 0,
      reason: `BIRD is started again at once with graceful restart${i.facts.grRestartS ? ` (${i.facts.grRestartS} s)` : ""}: the router keeps the paths as stale until the new session's End-of-RIB`,
    };
  if (i.scenario === "bgp-withdraw") {
    if (direct) return { downtimeMs: 0, reason: "the node's own address does not depend on BGP" };
    return {
      downtimeMs: 0,
      reason:
        i.mode === "reused"
          ? `new connections avoid ${i.node} at once; ${rehash(i.mode)}`
          : `the router withdraws ${i.node}'s paths at once (a Cease notification), so no new connection goes there; ${rehash(i.mode)}`,
    };
  }
  const outage = nodeOutageMs(i);
  if (!outage) return { downtimeMs: 0, reason: "this scenario is not predicted" };
  if (direct)
    return {
      downtimeMs: round(outage.ms),
      reason: `its own address is unavailable while ${outage.why}`,
    };
  if (i.scenario === "node-restart")
    return {
      downtimeMs: 0,
      reason: `a reboot stops BIRD gracefully, so the router withdraws ${i.node}'s paths at once; ${i.mode === "reused" ? rehash(i.mode) : "only connections begun in the moment between k3s stopping and BIRD stopping can fail"}`,
    };
  if (i.endpoint === "vip" || i.endpoint === "vip-name") return vipPrediction(i, outage);
  return namePrediction(i, outage);
}

/** Whether a measurement and its prediction disagree: more than two intervals, and a quarter, and half a second apart. */
export function disagrees(measuredMs: number, predictedMs: number, intervalMs: number): boolean {
  const gap = Math.abs(measuredMs - predictedMs);
  return gap > 2 * intervalMs && gap > 0.25 * Math.max(measuredMs, predictedMs) && gap > 500;
}
