// The guided setup's steps as data: which option needs them, in what order, why, where the design document is wrong
// for them and what the console does instead. The server's drivers (apps/server/src/services/setup/) render, preview,
// apply, verify and undo them; the page and the API list the same steps from here.
import { type SetupCorrection, type SetupOption, type SetupStepId, setupStepIds } from "../protocol/setup.js";

export interface SetupStepDef {
  id: SetupStepId;
  title: string;
  options: readonly SetupOption[];
  why: string;
  corrections: readonly SetupCorrection[];
  /** Apply and undo need `confirm: true`: restarts a service, changes BGP or DNS, or can cut traffic. */
  risky: boolean;
  undoable: boolean;
  /** Nothing to apply: the status comes from Verify (`router` is manual on pfSense only). */
  manual: "always" | "pfsense" | "never";
  /** Steps that must be satisfied, applied or verified first (and cannot be undone while this one stands). */
  requires: readonly SetupStepId[];
}

/** The order each option's steps are taken in (a step both need has one id and one status). */
export const SETUP_ORDER: Record<SetupOption, readonly SetupStepId[]> = {
  vip: [
    "preflight",
    "metallb",
    "pool",
    "bgp-config",
    "bgp-filter",
    "router",
    "apiserver-config",
    "api-service",
    "dns-vip",
    "kubeconfig",
  ],
  dns: ["preflight", "dns-round-robin", "apiserver-config", "kubeconfig", "join-command"],
};

/** The console's server-side apply field manager: every object it writes is owned under this name. */
export const SETUP_FIELD_MANAGER = "k3s-ha-console";

const BOTH: readonly SetupOption[] = ["vip", "dns"];
const VIP: readonly SetupOption[] = ["vip"];

export const SETUP_STEPS: Record<SetupStepId, SetupStepDef> = {
  preflight: {
    id: "preflight",
    title: "Preflight checks",
    options: BOTH,
    why: "Checks the plan and the live cluster before anything changes: a failing check blocks the steps that need it.",
    corrections: [],
    risky: false,
    undoable: false,
    manual: "always",
    requires: [],
  },
  metallb: {
    id: "metallb",
    title: "MetalLB controller (no speaker)",
    options: VIP,
    why: "MetalLB's controller allocates the VIP to the API Service; Calico, not MetalLB, advertises it to the router.",
    corrections: [
      {
        document: "Install metallb-frr.yaml (speakers) and an L2Advertisement.",
        fails:
          "A MetalLB speaker would open a second BGP session to the router from the same node address as Calico's, and an L2Advertisement without speakers does nothing (with speakers it competes for neighbour discovery).",
        we: "Apply metallb-native.yaml without the speaker DaemonSet and its RBAC, and no L2Advertisement or BGPAdvertisement.",
      },
      {
        document: "MetalLB v0.15.3 is the latest.",
        fails:
          "v0.16.x exist; the manifest shipped with the console is v0.15.3, matching the CRDs it validates against.",
        we: "Ship v0.15.3's metallb-native.yaml in the repository with its source recorded (air-gapped sites need nothing else).",
      },
    ],
    risky: false,
    undoable: true,
    manual: "never",
    requires: ["preflight"],
  },
  pool: {
    id: "pool",
    title: "IPAddressPool for the LoadBalancer range",
    options: VIP,
    why: "The pool MetalLB allocates the API VIP from: the plan's LoadBalancer CIDR, never auto-assigned to other Services.",
    corrections: [
      {
        document: "The VIP …:ff00::100 inside the service range.",
        fails:
          "It lies inside the ClusterIP range; kube-proxy drops unallocated ClusterIPs, and nothing in MetalLB or Calico checks the overlap.",
        we: "The pool is the plan's separate loadBalancerCidr (the linter refuses an overlap).",
      },
    ],
    risky: false,
    undoable: true,
    manual: "never",
    requires: ["metallb"],
  },
  "bgp-config": {
    id: "bgp-config",
    title: "Calico BGPConfiguration: advertise service addresses",
    options: VIP,
    why: "Calico advertises the service ClusterIP range and the LoadBalancer range to the router; eTP=Local Services as /128s from nodes with a ready endpoint.",
    corrections: [
      {
        document: "Disable the node-to-node mesh; pfSense acts as route reflector.",
        fails:
          "With the mesh off and pod routes filtered from the only peer, nodes never learn each other's pod routes: pod-to-pod traffic across nodes breaks unless the pool encapsulates (VXLAN; IPIP is IPv4-only).",
        we: "Keep the mesh as the plan says; refuse mesh off while pod routes are rejected and the pool does not encapsulate.",
      },
    ],
    risky: true,
    undoable: true,
    manual: "never",
    requires: ["preflight"],
  },
  "bgp-filter": {
    id: "bgp-filter",
    title: "BGPFilter: keep pod routes and relayed /128s from the router",
    options: VIP,
    why: "The router needs the VIP and service routes, not every pod block; and a node must not relay another node's eTP=Local /128 (source RemotePeers), or the router keeps a path through a node whose apiserver is down.",
    corrections: [
      {
        document: "BGPFilter's default action is Accept.",
        fails:
          "When no rule matches, Calico's normal export rules decide; filters attach only to explicit BGPPeers, never to mesh sessions.",
        we: "Reject the pod CIDR (`In` is prefix containment, any block size) and relayed LoadBalancer /128s, attached to the router's BGPPeer.",
      },
    ],
    risky: true,
    undoable: true,
    manual: "never",
    requires: ["preflight"],
  },
  router: {
    id: "router",
    title: "Router: BGP timers and multipath",
    options: VIP,
    why: "Calico has no BFD: a hard node failure is detected by the BGP hold timer, so the router's timers decide failover; multipath spreads VIP traffic over the servers.",
    corrections: [
      {
        document: "BFD available; network partition 9-40 s (BFD 300 ms).",
        fails: "Calico OSS has no BFD (projectcalico/calico#4607); FRR's default hold is 180 s.",
        we: "Set short keepalive/hold timers on the router's neighbours and verify the negotiated hold time live.",
      },
    ],
    risky: true,
    undoable: false,
    manual: "pfsense",
    requires: ["preflight"],
  },
  "apiserver-config": {
    id: "apiserver-config",
    title: "API server configuration (tls-san, anonymous /readyz), rolling",
    options: BOTH,
    why: "Every name and address clients dial must be in the serving certificate; the API Service's readiness probe needs anonymous /readyz. One drop-in per server, one server restarted at a time.",
    corrections: [
      {
        document: "Add the names to tls-san, then `systemctl restart k3s`.",
        fails:
          "The document's tls-san lacks the VIP's DNS name, so https://<vip name>:6443 fails verification; restarting every server at once loses etcd quorum.",
        we: "Write /etc/rancher/k3s/config.yaml.d/50-k3s-ha.yaml (`tls-san+:`), restart one server at a time with quorum checked, and verify the SANs by a TLS handshake to each.",
      },
    ],
    risky: true,
    undoable: true,
    manual: "never",
    requires: ["preflight"],
  },
  "api-service": {
    id: "api-service",
    title: "API LoadBalancer Service with health-following endpoints",
    options: VIP,
    why: "A LoadBalancer Service for the VIP whose endpoints are a host-network DaemonSet on the servers, ready only while the local apiserver answers /readyz: an apiserver that dies stops attracting traffic.",
    corrections: [
      {
        document: "A LoadBalancer Service with no selector.",
        fails:
          "With externalTrafficPolicy Local and no endpoints naming a node, no node is local: Calico never advertises the /128 and kube-proxy drops the traffic.",
        we: "Select a DaemonSet (the pause image k3s already carries) whose readiness probe is /readyz, so each endpoint carries its nodeName.",
      },
    ],
    risky: true,
    undoable: true,
    manual: "never",
    requires: ["pool", "bgp-config", "apiserver-config"],
  },
  "dns-vip": {
    id: "dns-vip",
    title: "DNS: the VIP's name",
    options: VIP,
    why: "The API's stable name points at the VIP, by a TSIG-signed dynamic update.",
    corrections: [],
    risky: true,
    undoable: true,
    manual: "never",
    requires: ["api-service"],
  },
  "dns-round-robin": {
    id: "dns-round-robin",
    title: "DNS: round-robin records for every server",
    options: ["dns"],
    why: "One AAAA per server under the round-robin name, with the plan's TTL, replaced in one signed update.",
    corrections: [],
    risky: true,
    undoable: true,
    manual: "never",
    requires: ["preflight"],
  },
  kubeconfig: {
    id: "kubeconfig",
    title: "Kubeconfig for the new endpoint",
    options: BOTH,
    why: "A kubeconfig naming the HA endpoint, verified by a real request through it. It carries the admin credentials: the download is confirmed and audited.",
    corrections: [],
    risky: false,
    undoable: false,
    manual: "always",
    requires: ["apiserver-config"],
  },
  "join-command": {
    id: "join-command",
    title: "Join command for further servers",
    options: ["dns"],
    why: "Further servers join through the round-robin name, so no single server is named; the token stays on the servers.",
    corrections: [],
    risky: false,
    undoable: false,
    manual: "always",
    requires: ["dns-round-robin", "apiserver-config"],
  },
};

/** The steps of `option`; with none, both options' steps in one order (shared ones once). */
export function setupSteps(option?: SetupOption): SetupStepDef[] {
  const ids = option ? SETUP_ORDER[option] : setupStepIds;
  return ids.map((id) => SETUP_STEPS[id]);
}
