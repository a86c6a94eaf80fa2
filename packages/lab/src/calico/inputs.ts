// What calico-node renders from: the lab's own static inputs (BIRD's config before the API is there) and the
// inputs read from the Kubernetes API objects.
import path from "node:path";
import type { KubeObject } from "../kube/index.js";
import type { LabTopology, NodeSpec } from "../topology.js";
import type {
  BgpConfigurationSpec,
  BgpFilterSpec,
  BgpPeerSpec,
  CalicoBirdInput,
  CalicoNodeInfo,
  EndpointSliceInfo,
  Named,
  ServiceInfo,
} from "./render.js";
import { refuseUnsupported } from "./unsupported.js";

export const CALICO_GROUP = "crd.projectcalico.org";
export const CALICO = {
  bgpConfigurations: { group: CALICO_GROUP, version: "v1", resource: "bgpconfigurations" },
  bgpPeers: { group: CALICO_GROUP, version: "v1", resource: "bgppeers" },
  bgpFilters: { group: CALICO_GROUP, version: "v1", resource: "bgpfilters" },
  calicoNodeStatuses: { group: CALICO_GROUP, version: "v1", resource: "caliconodestatuses" },
  clusterInformations: { group: CALICO_GROUP, version: "v1", resource: "clusterinformations" },
} as const;

/** The BGPFilter the lab's static configuration stands for (the document's "reject pod routes"). */
export const POD_FILTER_NAME = "reject-pod-routes";
/** The lab's BGPPeer to the router. */
export const ROUTER_PEER_NAME = "router";

const birdLog = (node: NodeSpec) => path.join(node.dir, "bird", "bird.log");

export function topologyNodes(t: LabTopology): CalicoNodeInfo[] {
  return t.nodes.map((n) => ({
    name: n.name,
    address: n.address,
    labels: { "kubernetes.io/hostname": n.name },
  }));
}

function thisNode(node: NodeSpec, labels: Record<string, string>): CalicoBirdInput["node"] {
  return {
    name: node.name,
    address: node.address,
    labels,
    routerId: node.routerId,
    podBlocks: [node.podBlock],
  };
}

/**
 * The lab's BIRD configuration before calico-node has rendered from the API (and the previous issue's static
 * configuration): service range, LoadBalancer range and VIP /128 from every node, the router peer with a
 * BGPFilter rejecting the pod CIDR.
 */
export function staticCalicoInput(t: LabTopology, node: NodeSpec, bfd: boolean): CalicoBirdInput {
  return {
    node: thisNode(node, { "kubernetes.io/hostname": node.name }),
    nodes: topologyNodes(t),
    bgpConfiguration: {
      asNumber: t.clusterAsn,
      nodeToNodeMeshEnabled: true,
      serviceClusterIPs: [{ cidr: t.serviceCidr }],
      serviceLoadBalancerIPs: [{ cidr: t.loadBalancerCidr }, { cidr: `${t.vip}/128` }],
    },
    peers: [
      {
        name: ROUTER_PEER_NAME,
        spec: { peerIP: t.router.address, asNumber: t.router.asn, filters: [POD_FILTER_NAME] },
      },
    ],
    filters: [
      {
        name: POD_FILTER_NAME,
        spec: { exportV6: [{ action: "Reject", matchOperator: "In", cidr: t.podCidr }] },
      },
    ],
    services: [],
    endpointSlices: [],
    ipPools: [t.podCidr],
    logFile: birdLog(node),
    bfd,
    ignoredInterfaces: ["lo"],
  };
}

type Obj = KubeObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> };

function nodeAddress(o: Obj): string | undefined {
  const ann = o.metadata.annotations?.["projectcalico.org/IPv6Address"];
  if (ann) return ann.split("/")[0];
  const addresses = (o.status?.addresses ?? []) as { type: string; address: string }[];
  return addresses.find((a) => a.type === "InternalIP" && a.address.includes(":"))?.address;
}

export interface ApiObjects {
  nodes: KubeObject[];
  bgpConfigurations: KubeObject[];
  bgpPeers: KubeObject[];
  bgpFilters: KubeObject[];
  services: KubeObject[];
  endpointSlices: KubeObject[];
}

/** The renderer's input from the API objects; undefined while there is no BGPConfiguration `default`. */
export function inputFromObjects(
  t: LabTopology,
  node: NodeSpec,
  objects: ApiObjects,
  bfd: boolean,
): CalicoBirdInput | undefined {
  const config = (objects.bgpConfigurations as Obj[]).find((c) => c.metadata.name === "default");
  if (!config) return undefined;
  const nodes: CalicoNodeInfo[] = [];
  for (const n of objects.nodes as Obj[]) {
    const address = nodeAddress(n) ?? t.nodes.find((x) => x.name === n.metadata.name)?.address;
    if (address) nodes.push({ name: n.metadata.name ?? "", address, labels: n.metadata.labels ?? {} });
  }
  let self = nodes.find((n) => n.name === node.name);
  if (!self) {
    self = { name: node.name, address: node.address, labels: {} };
    nodes.push(self);
  }
  const peers: Named<BgpPeerSpec>[] = (objects.bgpPeers as Obj[]).map((p) => ({
    name: p.metadata.name ?? "",
    spec: (p.spec ?? {}) as BgpPeerSpec,
  }));
  const filters: Named<BgpFilterSpec>[] = (objects.bgpFilters as Obj[]).map((f) => ({
    name: f.metadata.name ?? "",
    spec: (f.spec ?? {}) as BgpFilterSpec,
  }));
  refuseUnsupported(peers, filters);
  const services: ServiceInfo[] = (objects.services as Obj[]).map((s) => {
    const spec = (s.spec ?? {}) as {
      type?: string;
      clusterIP?: string;
      externalIPs?: string[];
      externalTrafficPolicy?: string;
      loadBalancerIP?: string;
    };
    const ingress = ((s.status?.loadBalancer as { ingress?: { ip?: string }[] } | undefined)?.ingress ?? [])
      .map((i) => i.ip ?? "")
      .filter(Boolean);
    return {
      namespace: s.metadata.namespace ?? "default",
      name: s.metadata.name ?? "",
      ...spec,
      ingressIPs: ingress,
    };
  });
  const endpointSlices: EndpointSliceInfo[] = (objects.endpointSlices as Obj[]).map((e) => {
    const raw = ((e as unknown as { endpoints?: unknown[] }).endpoints ?? []) as {
      addresses?: string[];
      nodeName?: string;
      conditions?: { ready?: boolean | null };
    }[];
    return {
      namespace: e.metadata.namespace ?? "default",
      serviceName: e.metadata.labels?.["kubernetes.io/service-name"] ?? "",
      endpoints: raw.map((x) => ({
        addresses: x.addresses ?? [],
        ...(x.nodeName ? { nodeName: x.nodeName } : {}),
        ...(x.conditions?.ready === false ? { ready: false } : {}),
      })),
    };
  });
  return {
    node: thisNode(node, self.labels),
    nodes,
    bgpConfiguration: (config.spec ?? {}) as BgpConfigurationSpec,
    peers,
    filters,
    services,
    endpointSlices,
    ipPools: [t.podCidr],
    logFile: birdLog(node),
    bfd,
    ignoredInterfaces: ["lo"],
  };
}
