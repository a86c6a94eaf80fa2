// The resources the cluster source watches: where each lives in the API, and whether it is a custom resource that a
// cluster may simply not have (MetalLB before it is installed answers 404: absent, not an error).

export interface WatchedResource {
  group: string;
  version: string;
  plural: string;
  /** Watch one namespace only (MetalLB's pods). */
  namespace?: string;
  /** A custom resource: 404 means its CRD is not installed. */
  custom: boolean;
}

export const clusterResources = {
  nodes: { group: "", version: "v1", plural: "nodes", custom: false },
  services: { group: "", version: "v1", plural: "services", custom: false },
  endpointslices: { group: "discovery.k8s.io", version: "v1", plural: "endpointslices", custom: false },
  "metallb-pods": { group: "", version: "v1", plural: "pods", namespace: "metallb-system", custom: false },
  ipaddresspools: { group: "metallb.io", version: "v1beta1", plural: "ipaddresspools", custom: true },
  l2advertisements: { group: "metallb.io", version: "v1beta1", plural: "l2advertisements", custom: true },
  bgpadvertisements: { group: "metallb.io", version: "v1beta1", plural: "bgpadvertisements", custom: true },
  "metallb-bgppeers": { group: "metallb.io", version: "v1beta2", plural: "bgppeers", custom: true },
  bgpconfigurations: {
    group: "crd.projectcalico.org",
    version: "v1",
    plural: "bgpconfigurations",
    custom: true,
  },
  bgppeers: { group: "crd.projectcalico.org", version: "v1", plural: "bgppeers", custom: true },
  bgpfilters: { group: "crd.projectcalico.org", version: "v1", plural: "bgpfilters", custom: true },
  clusterinformations: {
    group: "crd.projectcalico.org",
    version: "v1",
    plural: "clusterinformations",
    custom: true,
  },
  caliconodestatuses: {
    group: "crd.projectcalico.org",
    version: "v1",
    plural: "caliconodestatuses",
    custom: true,
  },
} as const satisfies Record<string, WatchedResource>;

export type ClusterResourceId = keyof typeof clusterResources;
export const clusterResourceIds = Object.keys(clusterResources) as ClusterResourceId[];

/** The list/watch path of a resource: `/api/v1/nodes`, `/apis/metallb.io/v1beta1/ipaddresspools`. */
export function resourcePath(r: WatchedResource): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  return r.namespace ? `${base}/namespaces/${r.namespace}/${r.plural}` : `${base}/${r.plural}`;
}

/** How RBAC names a resource in a denial: `nodes`, `ipaddresspools.metallb.io`. */
export function rbacName(r: WatchedResource): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}
