// Names and addresses of one lab: pure, derived from the lab's name (the default "lab" is examples/lab.yaml).
import { createHash } from "node:crypto";
import path from "node:path";

export const bgpModes = ["default", "fast", "bfd"] as const;
export type BgpMode = (typeof bgpModes)[number];

/**
 * What the router looks like to the console: `linux-frr` (vtysh on the PATH, root login, frr.conf the lab's own) or
 * `pfsense` (pfSense's FRR package: /usr/local/bin/vtysh, an `admin` login with a sudo rule for vtysh only, frr.conf
 * regenerated from the package's settings).
 */
export const routerKinds = ["linux-frr", "pfsense"] as const;
export type RouterKind = (typeof routerKinds)[number];
export const DEFAULT_ROUTER: RouterKind = "linux-frr";

export const DEFAULT_LAB = "lab";
/** Every lab's state lives under here; tmpfs, so it goes with the namespaces on reboot. */
export const LAB_ROOT = "/run/k3s-ha-lab";
/** BIND may only use /var/lib/bind on hosts where AppArmor confines named (Debian's profile). */
export const BIND_ROOT = "/var/lib/bind/k3s-ha-lab";
const DEFAULT_GROUPS = "2001:db8:1162:79fb";
const NODE_COUNT = 3;

export interface MachineSpec {
  name: string;
  ns: string;
  address: string;
  routerId: string;
  /** This machine's own files under the state dir. */
  dir: string;
}

export interface NodeSpec extends MachineSpec {
  /** The router-side bridge port of this node's link. */
  bridgePort: string;
  /** The Calico IPAM block (/122) this node holds and must never export. */
  podBlock: string;
}

export interface LabTopology {
  name: string;
  stateDir: string;
  bindDir: string;
  /** The lab's /64, e.g. 2001:db8:1162:79fb::/64. */
  prefix: string;
  router: MachineSpec & { asn: number; linkLocal: string };
  nodes: NodeSpec[];
  client: { ns: string; address: string; routerPort: string };
  /** The root namespace's end: one veth, one /128 and one route for the lab prefix. */
  host: { veth: string; address: string; routerPort: string };
  clusterAsn: number;
  serviceCidr: string;
  loadBalancerCidr: string;
  vip: string;
  podCidr: string;
  podBlockSize: number;
  clusterDns: string;
  dns: { port: number; zone: string; roundRobinName: string; vipName: string; ttl: number; tsigName: string };
}

const NAME_RE = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$/;

export function assertLabName(name: string): void {
  if (!NAME_RE.test(name))
    throw new Error(
      `lab name "${name}" must be 1-32 lower-case letters, digits or '-', starting with a letter`,
    );
}

function hashHex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** The first four groups of the lab's /64: the default lab keeps examples/lab.yaml's, others hash their name. */
export function prefixGroups(name: string): string {
  if (name === DEFAULT_LAB) return DEFAULT_GROUPS;
  for (let salt = 0; ; salt++) {
    const h = hashHex(salt === 0 ? name : `${name}#${salt}`);
    const groups = `2001:db8:${Number.parseInt(h.slice(0, 4), 16).toString(16)}:${Number.parseInt(h.slice(4, 8), 16).toString(16)}`;
    if (groups !== DEFAULT_GROUPS) return groups;
  }
}

/** The root-namespace veth: unique per lab and at most 15 characters (IFNAMSIZ). */
export function hostVethName(name: string): string {
  return name.length <= 10 ? `k3sl-${name}` : `k3sl-${hashHex(name).slice(0, 10)}`;
}

export function labTopology(name: string = DEFAULT_LAB): LabTopology {
  assertLabName(name);
  const g = prefixGroups(name);
  const stateDir = path.join(LAB_ROOT, name);
  const ns = (machine: string) => `k3sl-${name}-${machine}`;
  const nodes: NodeSpec[] = Array.from({ length: NODE_COUNT }, (_, i) => {
    const n = i + 1;
    const nodeName = `node${String(n).padStart(2, "0")}`;
    return {
      name: nodeName,
      ns: ns(nodeName),
      address: `${g}::${10 + n}`,
      routerId: `10.255.0.${10 + n}`,
      dir: path.join(stateDir, nodeName),
      bridgePort: `p-${nodeName}`,
      podBlock: `${g}:ffcc::${i === 0 ? "" : (i * 64).toString(16)}/122`,
    };
  });
  return {
    name,
    stateDir,
    bindDir: path.join(BIND_ROOT, name),
    prefix: `${g}::/64`,
    router: {
      name: "router",
      ns: ns("router"),
      address: `${g}::1`,
      routerId: "10.255.0.1",
      dir: path.join(stateDir, "router"),
      asn: 65101,
      linkLocal: "fe80::1",
    },
    nodes,
    client: { ns: ns("client"), address: `${g}::fd`, routerPort: "client0" },
    host: { veth: hostVethName(name), address: `${g}::fe`, routerPort: "host0" },
    clusterAsn: 65010,
    serviceCidr: `${g}:ff00::/112`,
    loadBalancerCidr: `${g}:ff01::/112`,
    vip: `${g}:ff01::1`,
    podCidr: `${g}:ffcc::/112`,
    podBlockSize: 122,
    clusterDns: `${g}:ff00::10`,
    dns: {
      port: 5353,
      zone: "k8s.example.org",
      roundRobinName: "k8s-cluster.k8s.example.org",
      vipName: "k8s-api.k8s.example.org",
      ttl: 60,
      tsigName: "ha-console",
    },
  };
}

/** All namespaces of a lab, router first. */
export function namespaces(t: LabTopology): string[] {
  return [t.router.ns, ...t.nodes.map((n) => n.ns), t.client.ns];
}

/** Calico's BIRD protocol name for a peer: `Global_` plus the address with ':' turned into '_'. */
export function calicoProtocolName(kind: "Global" | "Mesh" | "Node", address: string): string {
  return `${kind}_${address.replaceAll(":", "_")}`;
}

export function findNode(t: LabTopology, name: string): NodeSpec {
  const node = t.nodes.find((n) => n.name === name);
  if (!node)
    throw new Error(`no node "${name}" in lab ${t.name} (nodes: ${t.nodes.map((n) => n.name).join(", ")})`);
  return node;
}
