// The Kubernetes objects option 1 writes, rendered from the plan and what is live: the IPAddressPool, the
// BGPConfiguration's service fields, the BGPFilter and its attachment to the router's BGPPeer, the API Service with
// its health-following DaemonSet, and which of MetalLB's manifest objects to apply (the controller, never a speaker).
import { canonicalIp } from "../net/ip.js";
import type { Plan } from "../plan/schema.js";

/** A Kubernetes object as written (only the fields the console owns, for server-side apply). */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

/** Names of what the setup creates (the lab's `vip` preset uses the same). */
export const SETUP_NAMES = {
  pool: "api-vip",
  poolNamespace: "metallb-system",
  bgpFilter: "reject-pod-routes",
  service: "kubernetes-api-vip",
  daemonSet: "kubernetes-api-vip",
  namespace: "default",
  podLabels: { app: "kubernetes-api-vip" } as Record<string, string>,
  /** The pause image k3s's airgap bundle carries (its containerd sandbox image): nothing new to pull. */
  healthImage: "docker.io/rancher/mirrored-pause:3.6",
} as const;

export const MANAGED_BY = { "app.kubernetes.io/managed-by": "k3s-ha-console" } as const;

/** The Calico API group the cluster serves: projectcalico.org/v3 with Calico's API server, else the CRDs. */
export type CalicoApi = "projectcalico.org/v3" | "crd.projectcalico.org/v1";

export function ipAddressPool(plan: Plan): Manifest {
  return {
    apiVersion: "metallb.io/v1beta1",
    kind: "IPAddressPool",
    metadata: { name: SETUP_NAMES.pool, namespace: SETUP_NAMES.poolNamespace, labels: { ...MANAGED_BY } },
    // Only the API Service asks for an address from it (by metallb.io/loadBalancerIPs).
    spec: { addresses: [plan.network.loadBalancerCidr], autoAssign: false },
  };
}

/** The BGPConfiguration fields the console owns; the mesh as the plan says (refused when unsafe: see mesh.ts). */
export function bgpConfiguration(plan: Plan, api: CalicoApi): Manifest {
  return {
    apiVersion: api,
    kind: "BGPConfiguration",
    metadata: { name: "default" },
    spec: {
      asNumber: plan.bgp.clusterAsn,
      nodeToNodeMeshEnabled: plan.bgp.nodeToNodeMesh,
      serviceClusterIPs: [{ cidr: plan.network.serviceCidr }],
      serviceLoadBalancerIPs: [{ cidr: plan.network.loadBalancerCidr }],
    },
  };
}

/**
 * The export filter toward the router: pod blocks rejected (when the plan says so), and LoadBalancer /128s learnt
 * from other nodes not relayed (`source: RemotePeers`, where the cluster's BGPFilter schema has `source`).
 */
export function bgpFilter(plan: Plan, api: CalicoApi, hasSource: boolean): Manifest {
  const rules: Record<string, unknown>[] = [];
  if (plan.bgp.rejectPodRoutes)
    rules.push({ action: "Reject", matchOperator: "In", cidr: plan.network.podCidr });
  if (hasSource)
    rules.push({
      action: "Reject",
      matchOperator: "In",
      cidr: plan.network.loadBalancerCidr,
      source: "RemotePeers",
    });
  return {
    apiVersion: api,
    kind: "BGPFilter",
    metadata: { name: SETUP_NAMES.bgpFilter, labels: { ...MANAGED_BY } },
    spec: { exportV6: rules },
  };
}

/** A BGPPeer as read: enough to find the router's and keep the filters it already has. */
export interface LiveBgpPeer {
  name: string;
  peerIP?: string;
  node?: string;
  nodeSelector?: string;
  filters: string[];
}

/** The BGPPeer that peers every node with the plan's router (global: no node, any node selector). */
export function routerBgpPeer(plan: Plan, peers: readonly LiveBgpPeer[]): LiveBgpPeer | undefined {
  const router = canonicalIp(plan.bgp.router.address);
  return peers.find((p) => {
    const ip = p.peerIP ? canonicalIp(p.peerIP.replace(/^\[|\](:\d+)?$/g, "")) : null;
    return ip === router && !p.node;
  });
}

/** The router's BGPPeer with the filter attached (the filters it has stay, in their order). */
export function bgpPeerFilters(peer: LiveBgpPeer, api: CalicoApi): Manifest {
  const filters = peer.filters.includes(SETUP_NAMES.bgpFilter)
    ? peer.filters
    : [...peer.filters, SETUP_NAMES.bgpFilter];
  return { apiVersion: api, kind: "BGPPeer", metadata: { name: peer.name }, spec: { filters } };
}

/** The API Service: IPv6 single stack, eTP Local, the VIP by MetalLB's annotation (spec.loadBalancerIP is deprecated). */
export function apiService(plan: Plan): Manifest {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: SETUP_NAMES.service,
      namespace: SETUP_NAMES.namespace,
      labels: { ...MANAGED_BY },
      annotations: { "metallb.io/loadBalancerIPs": plan.network.apiVip },
    },
    spec: {
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      ipFamilies: ["IPv6"],
      ipFamilyPolicy: "SingleStack",
      selector: { ...SETUP_NAMES.podLabels },
      ports: [{ name: "https", port: 6443, protocol: "TCP", targetPort: 6443 }],
    },
  };
}

/**
 * The DaemonSet whose pods are the Service's endpoints: host network on every server, ready while the local
 * apiserver answers anonymous /readyz (the AuthenticationConfiguration of the apiserver-config step opens it).
 */
export function apiHealthDaemonSet(): Manifest {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: SETUP_NAMES.daemonSet, namespace: SETUP_NAMES.namespace, labels: { ...MANAGED_BY } },
    spec: {
      selector: { matchLabels: { ...SETUP_NAMES.podLabels } },
      template: {
        metadata: { labels: { ...SETUP_NAMES.podLabels } },
        spec: {
          hostNetwork: true,
          nodeSelector: { "node-role.kubernetes.io/control-plane": "true" },
          tolerations: [
            { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
            { key: "CriticalAddonsOnly", operator: "Exists" },
          ],
          priorityClassName: "system-node-critical",
          containers: [
            {
              name: "apiserver-health",
              image: SETUP_NAMES.healthImage,
              ports: [{ name: "https", containerPort: 6443, protocol: "TCP" }],
              readinessProbe: {
                httpGet: { path: "/readyz", port: 6443, scheme: "HTTPS" },
                periodSeconds: 2,
                timeoutSeconds: 1,
                successThreshold: 1,
                failureThreshold: 3,
              },
              resources: { requests: { cpu: "1m", memory: "8Mi" } },
            },
          ],
        },
      },
    },
  };
}

/** What of MetalLB's manifest the console leaves out, and why (each shown on the step). */
const SPEAKER_PARTS: Record<string, string> = {
  "DaemonSet/speaker": "the speaker would open a second BGP session to the router beside Calico's",
  "ServiceAccount/speaker": "only the speaker uses it",
  "ClusterRole/metallb-system:speaker": "only the speaker uses it",
  "ClusterRoleBinding/metallb-system:speaker": "only the speaker uses it",
  "Role/pod-lister": "the speaker's",
  "RoleBinding/pod-lister": "the speaker's",
  "ConfigMap/metallb-excludel2": "the speaker's L2 interface exclusions",
};

/** MetalLB's manifest split: what to apply (CRDs and the namespace first, then the controller's) and what not. */
export function metallbControllerOnly(docs: readonly Manifest[]): {
  apply: Manifest[];
  skipped: { object: string; why: string }[];
} {
  const key = (d: Manifest) => `${d.kind}/${d.metadata.name}`;
  const skipped = docs
    .filter((d) => SPEAKER_PARTS[key(d)])
    .map((d) => ({ object: key(d), why: SPEAKER_PARTS[key(d)] ?? "" }));
  const rank = (d: Manifest) => (d.kind === "Namespace" ? 0 : d.kind === "CustomResourceDefinition" ? 1 : 2);
  const apply = docs.filter((d) => !SPEAKER_PARTS[key(d)]).sort((a, b) => rank(a) - rank(b));
  return { apply, skipped };
}
