// Endpoints and EndpointSlices of Services with a selector, from their pods' IPs and readiness
// (the endpoints and endpointslice controllers, enough for a DaemonSet-backed API Service).
import { parseIp } from "@k3s-ha/shared";
import { type KubeClient, R } from "../client.js";
import {
  controllerRef,
  isObject,
  isPodReady,
  type JsonObject,
  jsonEqual,
  type KubeObject,
  nowIso,
} from "../meta.js";
import { matchesLabels, selectorFromMap } from "../resources/selectors.js";
import type { Controller } from "./runtime.js";

export const SLICE_CONTROLLER = "endpointslice-controller.k8s.io";
const ENDPOINTS_MANAGED_BY = "endpoints.kubernetes.io/managed-by";

interface Backend {
  pod: KubeObject;
  ip: string;
  /** EndpointSlice conditions (discovery/v1): ready never while terminating unless publishNotReadyAddresses. */
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** targetPort → the pod's port: a number, or a named container port. */
function resolvePort(pod: KubeObject, target: unknown): number | undefined {
  if (typeof target === "number") return target;
  const spec = isObject(pod.spec) ? pod.spec : {};
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) {
    for (const p of isObject(c) && Array.isArray(c.ports) ? c.ports : []) {
      if (isObject(p) && p.name === target && typeof p.containerPort === "number") return p.containerPort;
    }
  }
  return undefined;
}

/**
 * The pods behind a Service, as upstream's ShouldPodBeInEndpoints and podToEndpoint see them. Terminating pods
 * (deletionTimestamp set) stay in EndpointSlices with ready false, serving = the pod's Ready condition and
 * terminating true; Endpoints leaves them out unless the Service publishes not-ready addresses.
 */
function backends(pods: KubeObject[], svcSpec: JsonObject, includeTerminating: boolean): Backend[] {
  const publishNotReady = svcSpec.publishNotReadyAddresses === true;
  return pods
    .filter((p) => {
      const st = isObject(p.status) ? p.status : {};
      return (
        typeof st.podIP === "string" &&
        st.phase !== "Succeeded" &&
        st.phase !== "Failed" &&
        (includeTerminating || publishNotReady || !p.metadata.deletionTimestamp)
      );
    })
    .map((pod) => {
      const terminating = pod.metadata.deletionTimestamp !== undefined;
      const podReady = isPodReady(pod);
      return {
        pod,
        ip: String((pod.status as JsonObject).podIP),
        ready: publishNotReady || (podReady && !terminating),
        serving: publishNotReady || podReady,
        terminating,
      };
    })
    .sort((a, b) => a.ip.localeCompare(b.ip));
}

function targetRef(pod: KubeObject) {
  return { kind: "Pod", namespace: pod.metadata.namespace, name: pod.metadata.name, uid: pod.metadata.uid };
}

function desiredEndpoints(svc: KubeObject, list: Backend[], ports: JsonObject[]): KubeObject {
  const address = (b: Backend) => ({
    ip: b.ip,
    nodeName: (b.pod.spec as JsonObject).nodeName,
    targetRef: targetRef(b.pod),
  });
  const first = list[0];
  const epPorts = ports.map((p) => ({
    ...(p.name ? { name: p.name } : {}),
    port: (first ? resolvePort(first.pod, p.targetPort ?? p.port) : undefined) ?? p.port,
    protocol: p.protocol ?? "TCP",
  }));
  const ready = list.filter((b) => b.ready).map(address);
  const notReady = list.filter((b) => !b.ready).map(address);
  return {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: {
      name: svc.metadata.name,
      namespace: svc.metadata.namespace,
      labels: { ...svc.metadata.labels, [ENDPOINTS_MANAGED_BY]: "endpoint-controller" },
    },
    ...(list.length
      ? {
          subsets: [
            {
              ...(ready.length ? { addresses: ready } : {}),
              ...(notReady.length ? { notReadyAddresses: notReady } : {}),
              ports: epPorts,
            },
          ],
        }
      : {}),
  };
}

function desiredSlice(svc: KubeObject, list: Backend[], ports: JsonObject[], family: 4 | 6): KubeObject {
  const first = list[0];
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      generateName: `${svc.metadata.name}-`,
      namespace: svc.metadata.namespace,
      labels: {
        ...svc.metadata.labels,
        "kubernetes.io/service-name": svc.metadata.name ?? "",
        "endpointslice.kubernetes.io/managed-by": SLICE_CONTROLLER,
      },
      ownerReferences: [controllerRef("v1", "Service", svc)],
    },
    addressType: family === 6 ? "IPv6" : "IPv4",
    endpoints: list.map((b) => ({
      addresses: [b.ip],
      conditions: { ready: b.ready, serving: b.serving, terminating: b.terminating },
      nodeName: (b.pod.spec as JsonObject).nodeName,
      targetRef: targetRef(b.pod),
    })),
    ports: ports.map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      port: (first ? resolvePort(first.pod, p.targetPort ?? p.port) : undefined) ?? p.port,
      protocol: p.protocol ?? "TCP",
    })),
  };
}

function syncService(client: KubeClient, svc: KubeObject, pods: KubeObject[]): void {
  const spec = (isObject(svc.spec) ? svc.spec : {}) as JsonObject;
  const selector = selectorFromMap(spec.selector as Record<string, string>);
  const ports = (Array.isArray(spec.ports) ? spec.ports : []) as JsonObject[];
  const ns = svc.metadata.namespace ?? "";
  const selected = pods.filter(
    (p) => p.metadata.namespace === ns && matchesLabels(selector, p.metadata.labels),
  );
  const list = backends(selected, spec, true);
  const want = desiredEndpoints(svc, backends(selected, spec, false), ports);
  const have = client.get(R.endpoints, ns, svc.metadata.name ?? "");
  if (!have)
    client.create(R.endpoints, {
      ...want,
      metadata: {
        ...want.metadata,
        annotations: { "endpoints.kubernetes.io/last-change-trigger-time": nowIso() },
      },
    });
  else if (!jsonEqual(have.subsets, want.subsets) || !jsonEqual(have.metadata.labels, want.metadata.labels)) {
    client.update(R.endpoints, {
      ...have,
      metadata: { ...have.metadata, labels: want.metadata.labels },
      subsets: want.subsets,
    });
  }
  const family = (parseIp(String(spec.clusterIP ?? ""))?.family ?? parseIp(list[0]?.ip ?? "")?.family ?? 4) as
    | 4
    | 6;
  const slice = desiredSlice(
    svc,
    list.filter((b) => parseIp(b.ip)?.family === family),
    ports,
    family,
  );
  const existing = client.list(R.endpointslices, {
    namespace: ns,
    labelSelector: `kubernetes.io/service-name=${svc.metadata.name},endpointslice.kubernetes.io/managed-by=${SLICE_CONTROLLER}`,
  });
  const [current, ...extra] = existing;
  for (const e of extra) client.delete(R.endpointslices, ns, e.metadata.name ?? "");
  if (!current) {
    client.create(R.endpointslices, slice);
    return;
  }
  const { metadata: _m, ...content } = slice;
  const { metadata: _c, ...currentContent } = current;
  if (
    !jsonEqual(
      { ...currentContent, apiVersion: undefined, kind: undefined },
      { ...content, apiVersion: undefined, kind: undefined },
    ) ||
    !jsonEqual(current.metadata.labels, slice.metadata.labels)
  ) {
    client.update(R.endpointslices, {
      ...current,
      ...content,
      metadata: { ...current.metadata, labels: slice.metadata.labels },
    });
  }
}

export function endpointsController(client: KubeClient, options: { resyncMs?: number } = {}): Controller {
  const c = client.as("endpoint-controller");
  return {
    name: "endpoints-controller",
    watches: [R.services, R.pods],
    resyncMs: options.resyncMs ?? 30_000,
    sync() {
      const services = c.list(R.services);
      const pods = c.list(R.pods);
      const selected = new Set<string>();
      for (const svc of services) {
        const spec = isObject(svc.spec) ? svc.spec : {};
        if (
          !isObject(spec.selector) ||
          Object.keys(spec.selector).length === 0 ||
          spec.type === "ExternalName"
        )
          continue;
        selected.add(`${svc.metadata.namespace}/${svc.metadata.name}`);
        syncService(c, svc, pods);
      }
      for (const ep of c.list(R.endpoints, {
        labelSelector: `${ENDPOINTS_MANAGED_BY}=endpoint-controller`,
      })) {
        if (!selected.has(`${ep.metadata.namespace}/${ep.metadata.name}`))
          c.delete(R.endpoints, ep.metadata.namespace, ep.metadata.name ?? "");
      }
    },
  };
}
