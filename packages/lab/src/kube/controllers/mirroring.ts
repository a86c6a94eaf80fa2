// EndpointSlice mirroring (pkg/controller/endpointslicemirroring): v1 Endpoints of Services without a selector are
// copied into EndpointSlices, nodeName and readiness included, unless labelled skip-mirror.
import { parseIp } from "@k3s-ha/shared";
import { type KubeClient, R } from "../client.js";
import { controllerRef, isObject, type JsonObject, jsonEqual, type KubeObject } from "../meta.js";
import type { Controller } from "./runtime.js";

export const MIRROR_CONTROLLER = "endpointslicemirroring-controller.k8s.io";
const SKIP = "endpointslice.kubernetes.io/skip-mirror";

interface Address {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef?: unknown;
}

function slicesFor(ep: KubeObject): KubeObject[] {
  const out: KubeObject[] = [];
  const labels = Object.fromEntries(Object.entries(ep.metadata.labels ?? {}).filter(([k]) => k !== SKIP));
  const annotations = Object.fromEntries(
    Object.entries(ep.metadata.annotations ?? {}).filter(
      ([k]) =>
        k !== "kubectl.kubernetes.io/last-applied-configuration" &&
        k !== "endpoints.kubernetes.io/last-change-trigger-time",
    ),
  );
  for (const subset of (Array.isArray(ep.subsets) ? ep.subsets : []) as JsonObject[]) {
    const ports = (Array.isArray(subset.ports) ? subset.ports : []) as JsonObject[];
    const ready = (Array.isArray(subset.addresses) ? subset.addresses : []) as Address[];
    const notReady = (Array.isArray(subset.notReadyAddresses) ? subset.notReadyAddresses : []) as Address[];
    for (const family of [4, 6] as const) {
      const endpoint = (a: Address, isReady: boolean) => ({
        addresses: [a.ip],
        conditions: { ready: isReady },
        ...(a.hostname ? { hostname: a.hostname } : {}),
        ...(a.nodeName ? { nodeName: a.nodeName } : {}),
        ...(a.targetRef ? { targetRef: a.targetRef } : {}),
      });
      const endpoints = [
        ...ready.filter((a) => parseIp(a.ip)?.family === family).map((a) => endpoint(a, true)),
        ...notReady.filter((a) => parseIp(a.ip)?.family === family).map((a) => endpoint(a, false)),
      ];
      if (endpoints.length === 0) continue;
      out.push({
        apiVersion: "discovery.k8s.io/v1",
        kind: "EndpointSlice",
        metadata: {
          generateName: `${ep.metadata.name}-`,
          namespace: ep.metadata.namespace,
          labels: {
            ...labels,
            "kubernetes.io/service-name": ep.metadata.name ?? "",
            "endpointslice.kubernetes.io/managed-by": MIRROR_CONTROLLER,
          },
          ...(Object.keys(annotations).length ? { annotations } : {}),
          ownerReferences: [controllerRef("v1", "Endpoints", ep)],
        },
        addressType: family === 6 ? "IPv6" : "IPv4",
        endpoints,
        ports: ports.map((p) => ({
          ...(p.name ? { name: p.name } : {}),
          port: p.port,
          protocol: p.protocol ?? "TCP",
        })),
      });
    }
  }
  return out;
}

const content = (s: KubeObject) => ({
  addressType: s.addressType,
  endpoints: s.endpoints,
  ports: s.ports,
  labels: s.metadata.labels,
  annotations: s.metadata.annotations,
});

function reconcile(client: KubeClient, ep: KubeObject | undefined, namespace: string, name: string): void {
  const existing = client.list(R.endpointslices, {
    namespace,
    labelSelector: `kubernetes.io/service-name=${name},endpointslice.kubernetes.io/managed-by=${MIRROR_CONTROLLER}`,
  });
  const desired = ep ? slicesFor(ep) : [];
  desired.forEach((want, i) => {
    const have = existing[i];
    if (!have) client.create(R.endpointslices, want);
    else if (!jsonEqual(content(have), content(want))) {
      const meta = { ...have.metadata, labels: want.metadata.labels };
      if (want.metadata.annotations) meta.annotations = want.metadata.annotations;
      else delete meta.annotations;
      client.update(R.endpointslices, {
        ...have,
        metadata: meta,
        addressType: want.addressType,
        endpoints: want.endpoints,
        ports: want.ports,
      });
    }
  });
  for (const extra of existing.slice(desired.length))
    client.delete(R.endpointslices, namespace, extra.metadata.name ?? "");
}

export function mirroringController(client: KubeClient, options: { resyncMs?: number } = {}): Controller {
  const c = client.as(MIRROR_CONTROLLER);
  return {
    name: "endpointslice-mirroring-controller",
    watches: [R.endpoints, R.services],
    resyncMs: options.resyncMs ?? 30_000,
    sync() {
      const services = new Map(
        c.list(R.services).map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s]),
      );
      const seen = new Set<string>();
      for (const ep of c.list(R.endpoints)) {
        const key = `${ep.metadata.namespace}/${ep.metadata.name}`;
        const svc = services.get(key);
        const spec = isObject(svc?.spec) ? svc.spec : {};
        const selectorless = svc && !(isObject(spec.selector) && Object.keys(spec.selector).length > 0);
        if (!selectorless || ep.metadata.labels?.[SKIP] === "true") continue;
        seen.add(key);
        reconcile(c, ep, ep.metadata.namespace ?? "", ep.metadata.name ?? "");
      }
      for (const slice of c.list(R.endpointslices, {
        labelSelector: `endpointslice.kubernetes.io/managed-by=${MIRROR_CONTROLLER}`,
      })) {
        const name = slice.metadata.labels?.["kubernetes.io/service-name"] ?? "";
        if (!seen.has(`${slice.metadata.namespace}/${name}`))
          reconcile(c, undefined, slice.metadata.namespace ?? "", name);
      }
    },
  };
}
