// The kubelet stand-in inside a node's k3s stand-in (so it dies with it): for this node's host-network pods it runs
// the httpGet/tcpSocket readiness probes against the node's own addresses, as the kubelet's prober does
// (periodSeconds, timeoutSeconds, successThreshold, failureThreshold; HTTPS without verifying, 200-399 = success),
// and writes the pod's Ready/ContainersReady conditions and containerStatuses[].ready through the status subresource.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { connect } from "node:net";
import { type KubeClient, type KubeObject, R, runningPodStatus } from "../kube/index.js";
import { type Condition, isObject, nowIso, setCondition } from "../kube/meta.js";

interface Probe {
  httpGet?: {
    path?: string;
    port: number | string;
    host?: string;
    scheme?: string;
    httpHeaders?: Array<{ name: string; value: string }>;
  };
  tcpSocket?: { port: number | string; host?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

interface Container {
  name: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  readinessProbe?: Probe;
}

interface ProbeState {
  ready: boolean;
  successes: number;
  failures: number;
  nextAt: number;
  running: boolean;
  /** At least one result since this kubelet started. */
  seen: boolean;
}

/** A probe never waits longer than this, whatever timeoutSeconds says. */
const MAX_PROBE_TIMEOUT_MS = 10_000;

const containersOf = (pod: KubeObject): Container[] =>
  isObject(pod.spec) && Array.isArray(pod.spec.containers) ? (pod.spec.containers as Container[]) : [];

const probeOf = (c: Container): Probe | undefined =>
  c.readinessProbe && (c.readinessProbe.httpGet || c.readinessProbe.tcpSocket) ? c.readinessProbe : undefined;

/** The pods whose readiness this kubelet decides: host-network pods on this node with a readiness probe. */
export function probeOwned(pod: KubeObject, node: string): boolean {
  const spec = isObject(pod.spec) ? pod.spec : {};
  return spec.nodeName === node && spec.hostNetwork === true && containersOf(pod).some((c) => probeOf(c));
}

function resolvePort(port: number | string, c: Container): number | undefined {
  if (typeof port === "number") return port;
  if (/^\d+$/.test(port)) return Number(port);
  return c.ports?.find((p) => p.name === port)?.containerPort;
}

/** One probe attempt: true on success, false on failure or timeout. */
export function runProbe(probe: Probe, c: Container, host: string): Promise<boolean> {
  const timeoutMs = Math.min(Math.max(1, probe.timeoutSeconds ?? 1) * 1000, MAX_PROBE_TIMEOUT_MS);
  return new Promise((resolve) => {
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(ok);
    };
    const timer = setTimeout(() => {
      finish(false);
      cleanup();
    }, timeoutMs);
    let cleanup = () => {};
    if (probe.httpGet) {
      const g = probe.httpGet;
      const port = resolvePort(g.port, c);
      if (port === undefined) return finish(false);
      const https = (g.scheme ?? "HTTP").toUpperCase() === "HTTPS";
      const headers = Object.fromEntries((g.httpHeaders ?? []).map((h) => [h.name, h.value]));
      const req = (https ? httpsRequest : httpRequest)(
        {
          host: g.host ?? host,
          port,
          path: g.path ?? "/",
          method: "GET",
          headers: { "user-agent": "kube-probe/1.33", accept: "*/*", ...headers },
          ...(https ? { rejectUnauthorized: false } : {}),
          agent: false,
        },
        (res) => {
          const code = res.statusCode ?? 0;
          res.resume();
          finish(code >= 200 && code < 400);
        },
      );
      req.on("error", () => finish(false));
      req.end();
      cleanup = () => req.destroy();
      return;
    }
    const t = probe.tcpSocket;
    const port = t ? resolvePort(t.port, c) : undefined;
    if (!t || port === undefined) return finish(false);
    const socket = connect({ host: t.host ?? host, port });
    socket.on("connect", () => {
      socket.destroy();
      finish(true);
    });
    socket.on("error", () => finish(false));
    cleanup = () => socket.destroy();
  });
}

export interface KubeletOptions {
  node: string;
  /** The node's address: host-network pods' probes go here unless the probe names a host. */
  address: string;
  syncMs?: number;
  log?: (line: string) => void;
}

export interface Kubelet {
  /** For the heartbeat's restorePod: pods whose readiness the probes own are not forced ready after an outage. */
  restorePod(pod: KubeObject): boolean;
  syncNow(): void;
  stop(): void;
}

export function startKubelet(client: KubeClient, options: KubeletOptions): Kubelet {
  const k = client.as("kubelet");
  const states = new Map<string, ProbeState>();
  let stopped = false;

  /** Writes the pod's readiness when it differs from what the probes say (only once every probe has a result). */
  function writeReadiness(pod: KubeObject): void {
    const containers = containersOf(pod);
    const uid = pod.metadata.uid ?? "";
    const probed = containers.filter((c) => probeOf(c));
    const results = probed.map((c) => states.get(`${uid}/${c.name}`));
    if (results.some((s) => !s?.seen)) return;
    const readyOf = (c: Container) => (probeOf(c) ? (states.get(`${uid}/${c.name}`)?.ready ?? false) : true);
    const status = isObject(pod.status) ? pod.status : {};
    if (status.phase !== "Running") return;
    const statuses = (Array.isArray(status.containerStatuses) ? status.containerStatuses : []) as Array<{
      name: string;
      ready?: boolean;
    }>;
    const allReady = containers.every(readyOf);
    const conditions = (Array.isArray(status.conditions) ? [...status.conditions] : []) as Condition[];
    const current = conditions.find((c) => c.type === "Ready")?.status === "True";
    const containersMatch = statuses.every((s) => {
      const c = containers.find((x) => x.name === s.name);
      return !c || s.ready === readyOf(c);
    });
    if (current === allReady && containersMatch) return;
    const now = nowIso();
    const flag = allReady ? "True" : "False";
    const reason = allReady ? {} : { reason: "ContainersNotReady" };
    const notReady = containers.filter((c) => !readyOf(c)).map((c) => c.name);
    const message = allReady ? {} : { message: `containers with unready status: [${notReady.join(" ")}]` };
    for (const type of ["ContainersReady", "Ready"]) {
      const i = conditions.findIndex((c) => c.type === type);
      if (i >= 0) {
        const { reason: _r, message: _m, ...rest } = conditions[i] as Condition;
        conditions[i] = rest as Condition;
      }
      setCondition(conditions, { type, status: flag, lastProbeTime: null, ...reason, ...message }, now);
    }
    const nextStatuses = statuses.map((s) => {
      const c = containers.find((x) => x.name === s.name);
      return c ? { ...s, ready: readyOf(c) } : s;
    });
    try {
      k.updateStatus(R.pods, { ...pod, status: { ...status, conditions, containerStatuses: nextStatuses } });
      options.log?.(`pod ${pod.metadata.namespace}/${pod.metadata.name} ready=${allReady}`);
    } catch {
      // a conflict or a busy datastore: the next sync writes it
    }
  }

  /** A pod scheduled here that has not started: run it (host network: the node's address), unready until probed. */
  function startPod(pod: KubeObject): void {
    const unready = containersOf(pod)
      .filter((c) => probeOf(c))
      .map((c) => c.name);
    const status = runningPodStatus(pod, options.address, options.address, nowIso(), unready);
    try {
      k.updateStatus(R.pods, { ...pod, status });
      options.log?.(`pod ${pod.metadata.namespace}/${pod.metadata.name} started`);
    } catch {
      // the next sync starts it
    }
  }

  function sync(): void {
    if (stopped) return;
    let pods: KubeObject[];
    try {
      pods = k.list(R.pods, { fieldSelector: `spec.nodeName=${options.node}` });
    } catch {
      return;
    }
    const live = new Set<string>();
    const now = Date.now();
    for (const pod of pods) {
      if (!probeOwned(pod, options.node) || pod.metadata.deletionTimestamp) continue;
      if (!isObject(pod.status) || pod.status.phase === undefined || pod.status.phase === "Pending") {
        startPod(pod);
        continue;
      }
      const uid = pod.metadata.uid ?? "";
      for (const c of containersOf(pod)) {
        const probe = probeOf(c);
        if (!probe) continue;
        const key = `${uid}/${c.name}`;
        live.add(key);
        let s = states.get(key);
        if (!s) {
          s = {
            ready: false,
            successes: 0,
            failures: 0,
            running: false,
            seen: false,
            nextAt: now + (probe.initialDelaySeconds ?? 0) * 1000,
          };
          states.set(key, s);
        }
        if (s.running || now < s.nextAt) continue;
        const state = s;
        state.running = true;
        state.nextAt = now + Math.max(1, probe.periodSeconds ?? 10) * 1000;
        const podName = pod.metadata.name ?? "";
        const ns = pod.metadata.namespace;
        runProbe(probe, c, options.address).then((ok) => {
          state.running = false;
          state.seen = true;
          if (ok) {
            state.failures = 0;
            state.successes++;
            if (state.successes >= Math.max(1, probe.successThreshold ?? 1)) state.ready = true;
          } else {
            state.successes = 0;
            state.failures++;
            if (state.failures >= Math.max(1, probe.failureThreshold ?? 3)) state.ready = false;
          }
          if (stopped) return;
          try {
            const fresh = k.get(R.pods, ns, podName);
            if (fresh && fresh.metadata.uid === uid) writeReadiness(fresh);
          } catch {
            // the next probe result writes it
          }
        });
      }
    }
    for (const key of [...states.keys()]) if (!live.has(key)) states.delete(key);
  }

  sync();
  const timer = setInterval(sync, options.syncMs ?? 1_000);
  timer.unref();
  return {
    restorePod: (pod) => !probeOwned(pod, options.node),
    syncNow: sync,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
