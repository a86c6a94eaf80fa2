// buildClusterSnapshot: the watched objects (raw API JSON) → the cluster snapshot the pages and the audit read.
// Heartbeats and resource versions are left out, so the snapshot changes only when something an operator cares
// about does. Objects of an unknown shape are counted and named, never dropped silently.
import type { z } from "zod";
import type {
  ClusterNode,
  ClusterSnapshot,
  CustomView,
  EndpointView,
  PodView,
  ResourceState,
  ServiceView,
} from "../protocol/cluster.js";
import {
  type CalicoNodeStatusObject,
  calicoNodeStatusSchema,
  clusterInformationSchema,
  customObjectSchema,
  type EndpointSliceObject,
  endpointSliceSchema,
  type NodeObject,
  nodeSchema,
  type PodObject,
  podSchema,
  type ServiceObject,
  serviceSchema,
} from "./objects.js";
import { type ClusterResourceId, clusterResourceIds } from "./resources.js";

export interface WatchedList {
  state: ResourceState;
  items: readonly unknown[];
}

/** Each watched resource's list and state. */
export type ClusterLists = (id: ClusterResourceId) => WatchedList;

const ROLE_PREFIX = "node-role.kubernetes.io/";
const EXCLUDE_LB = "node.kubernetes.io/exclude-from-external-load-balancers";
const PROBLEMS = ["MemoryPressure", "DiskPressure", "PIDPressure", "NetworkUnavailable"];

/** Validates each item; unknown shapes are counted on the resource's state with the first one named. */
function parseItems<S extends z.ZodType>(
  id: ClusterResourceId,
  list: WatchedList,
  schema: S,
  states: Record<string, ResourceState>,
): z.infer<S>[] {
  const out: z.infer<S>[] = [];
  let skipped = 0;
  let first = "";
  for (const item of list.items) {
    const r = schema.safeParse(item);
    if (r.success) out.push(r.data);
    else {
      skipped++;
      if (!first) {
        const issue = r.error.issues[0];
        first = `${issue?.path.join(".") || "(object)"}: ${issue?.message ?? "unexpected shape"}`;
      }
    }
  }
  if (skipped > 0)
    states[id] = {
      ...list.state,
      skipped,
      error: {
        code: "K8S_UNEXPECTED_OBJECT",
        message: `${skipped} ${id} of an unknown shape skipped (${first})`,
      },
    };
  return out;
}

export function clusterNode(n: NodeObject): ClusterNode {
  const labels = n.metadata.labels ?? {};
  const roles = Object.keys(labels)
    .filter((k) => k.startsWith(ROLE_PREFIX))
    .map((k) => k.slice(ROLE_PREFIX.length))
    .sort();
  const conditions = n.status?.conditions ?? [];
  const ready = conditions.find((c) => c.type === "Ready");
  return {
    name: n.metadata.name,
    ready: ready?.status === "True" ? "ready" : ready?.status === "False" ? "not-ready" : "unknown",
    ...(ready?.reason ? { readyReason: ready.reason } : {}),
    ...(ready?.message ? { readyMessage: ready.message } : {}),
    ...(ready?.lastTransitionTime ? { readySince: ready.lastTransitionTime } : {}),
    roles,
    etcd: roles.includes("etcd"),
    controlPlane: roles.includes("control-plane") || roles.includes("master"),
    addresses: (n.status?.addresses ?? []).map((a) => ({ type: a.type, address: a.address })),
    unschedulable: n.spec?.unschedulable === true,
    excludedFromLoadBalancers: EXCLUDE_LB in labels,
    ...(n.status?.nodeInfo?.kubeletVersion ? { kubeletVersion: n.status.nodeInfo.kubeletVersion } : {}),
    taints: (n.spec?.taints ?? []).map((t) => ({ key: t.key, effect: t.effect })),
    problems: conditions.filter((c) => PROBLEMS.includes(c.type) && c.status === "True").map((c) => c.type),
  };
}

function endpointsOf(
  slices: EndpointSliceObject[],
  namespace: string,
  service: string,
  names: (address: string) => string | undefined,
): EndpointView[] {
  const out: EndpointView[] = [];
  for (const s of slices) {
    if (s.metadata.namespace !== namespace) continue;
    if (s.metadata.labels?.["kubernetes.io/service-name"] !== service) continue;
    for (const e of s.endpoints ?? []) {
      const c = e.conditions ?? {};
      // EndpointSlice semantics: a nil ready means ready; serving defaults to ready; terminating to false.
      const ready = c.ready ?? true;
      for (const address of e.addresses) {
        const node = e.nodeName ?? names(address);
        out.push({
          address,
          ready: ready === true,
          serving: (c.serving ?? ready) === true,
          terminating: c.terminating === true,
          ...(node ? { node } : {}),
        });
      }
    }
  }
  return out.sort((a, b) => a.address.localeCompare(b.address));
}

const splitList = (s: string | undefined) =>
  (s ?? "")
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

function serviceView(
  s: ServiceObject,
  slices: EndpointSliceObject[],
  names: (address: string) => string | undefined,
): ServiceView {
  const a = s.metadata.annotations ?? {};
  const requested = [
    ...splitList(a["metallb.io/loadBalancerIPs"]),
    ...splitList(a["metallb.universe.tf/loadBalancerIPs"]),
    ...(s.spec.loadBalancerIP ? [s.spec.loadBalancerIP] : []),
  ];
  const namespace = s.metadata.namespace ?? "default";
  return {
    namespace,
    name: s.metadata.name,
    type: s.spec.type ?? "ClusterIP",
    clusterIPs: s.spec.clusterIPs ?? (s.spec.clusterIP ? [s.spec.clusterIP] : []),
    loadBalancerIPs: (s.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip ? [i.ip] : [])),
    requestedIPs: [...new Set(requested)],
    ...(s.spec.externalTrafficPolicy ? { externalTrafficPolicy: s.spec.externalTrafficPolicy } : {}),
    ports: (s.spec.ports ?? []).map((p) => ({
      ...(p.name ? { name: p.name } : {}),
      port: p.port,
      protocol: p.protocol ?? "TCP",
    })),
    endpoints: endpointsOf(slices, namespace, s.metadata.name, names),
  };
}

function podView(p: PodObject): PodView {
  const ready = p.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";
  return {
    namespace: p.metadata.namespace ?? "",
    name: p.metadata.name,
    ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
    ...(p.status?.phase ? { phase: p.status.phase } : {}),
    ready,
    images: (p.spec?.containers ?? []).flatMap((c) => (c.image ? [c.image] : [])),
  };
}

/** metallb-native.yaml labels its pods `component: controller` / `component: speaker`. */
const podComponent = (p: PodObject) =>
  p.metadata.labels?.component ?? (p.metadata.name.startsWith("speaker") ? "speaker" : "controller");

const byName = <T extends { name: string }>(a: T, b: T) => a.name.localeCompare(b.name);

function customViews(id: ClusterResourceId, lists: ClusterLists, states: Record<string, ResourceState>) {
  return parseItems(id, lists(id), customObjectSchema, states)
    .map(
      (o): CustomView => ({
        name: o.metadata.name,
        ...(o.metadata.namespace ? { namespace: o.metadata.namespace } : {}),
        spec: o.spec ?? {},
      }),
    )
    .sort(byName);
}

function nodeStatusView(o: CalicoNodeStatusObject) {
  const peers = [...(o.status?.bgp?.peersV6 ?? []), ...(o.status?.bgp?.peersV4 ?? [])];
  return {
    name: o.metadata.name,
    ...(o.spec?.node ? { node: o.spec.node } : {}),
    ...(o.status?.lastUpdated ? { lastUpdated: o.status.lastUpdated } : {}),
    ...(o.status?.agent?.birdV6?.state ? { birdReady: o.status.agent.birdV6.state === "Ready" } : {}),
    ...(o.spec?.updatePeriodSeconds !== undefined ? { updatePeriodSeconds: o.spec.updatePeriodSeconds } : {}),
    peers: peers.map((p) => ({
      address: p.peerIP,
      ...(p.type ? { type: p.type } : {}),
      ...(p.state ? { state: p.state } : {}),
      ...(p.since ? { since: p.since } : {}),
    })),
  };
}

function calicoSnapshot(
  lists: ClusterLists,
  states: Record<string, ResourceState>,
): ClusterSnapshot["calico"] {
  const info = parseItems(
    "clusterinformations",
    lists("clusterinformations"),
    clusterInformationSchema,
    states,
  ).find((o) => o.metadata.name === "default");
  return {
    ...(info?.spec?.calicoVersion ? { version: info.spec.calicoVersion } : {}),
    ...(info?.spec?.datastoreReady !== undefined ? { datastoreReady: info.spec.datastoreReady } : {}),
    bgpConfigurations: customViews("bgpconfigurations", lists, states),
    bgpPeers: customViews("bgppeers", lists, states),
    bgpFilters: customViews("bgpfilters", lists, states),
    nodeStatuses: parseItems(
      "caliconodestatuses",
      lists("caliconodestatuses"),
      calicoNodeStatusSchema,
      states,
    )
      .map(nodeStatusView)
      .sort(byName),
  };
}

function metallbSnapshot(
  lists: ClusterLists,
  states: Record<string, ResourceState>,
): ClusterSnapshot["metallb"] {
  const pods = parseItems("metallb-pods", lists("metallb-pods"), podSchema, states);
  const names = (id: ClusterResourceId) => customViews(id, lists, states).map((o) => o.name);
  return {
    installed: lists("ipaddresspools").state.status !== "absent",
    controllers: pods
      .filter((p) => podComponent(p) === "controller")
      .map(podView)
      .sort(byName),
    speakers: pods
      .filter((p) => podComponent(p) === "speaker")
      .map(podView)
      .sort(byName),
    pools: customViews("ipaddresspools", lists, states).map((p) => {
      const addresses = p.spec.addresses;
      return {
        name: p.name,
        namespace: p.namespace ?? "",
        addresses: Array.isArray(addresses)
          ? addresses.filter((a): a is string => typeof a === "string")
          : [],
        autoAssign: p.spec.autoAssign !== false,
      };
    }),
    l2Advertisements: names("l2advertisements"),
    bgpAdvertisements: names("bgpadvertisements"),
    bgpPeers: names("metallb-bgppeers"),
  };
}

export function buildClusterSnapshot(
  lists: ClusterLists,
  names: (address: string) => string | undefined = () => undefined,
): ClusterSnapshot {
  const states: Record<string, ResourceState> = {};
  for (const id of clusterResourceIds) states[id] = lists(id).state;
  const nodes = parseItems("nodes", lists("nodes"), nodeSchema, states).map(clusterNode).sort(byName);
  const services = parseItems("services", lists("services"), serviceSchema, states);
  const slices = parseItems("endpointslices", lists("endpointslices"), endpointSliceSchema, states);
  const api = services.find((s) => s.metadata.namespace === "default" && s.metadata.name === "kubernetes");
  const loadBalancers = services
    .filter((s) => s.spec.type === "LoadBalancer")
    .map((s) => serviceView(s, slices, names))
    .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  return {
    resources: states,
    nodes,
    apiService: api ? serviceView(api, slices, names) : null,
    loadBalancerServices: loadBalancers,
    metallb: metallbSnapshot(lists, states),
    calico: calicoSnapshot(lists, states),
  };
}
