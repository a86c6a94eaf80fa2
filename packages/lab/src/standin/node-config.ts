// What a node's k3s stand-in knows about its node: written at `lab up`, read by the server and the node commands.
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";

export interface StandinConfig {
  node: string;
  address: string;
  vip: string;
  /** The first address of the service range: the `kubernetes` Service's ClusterIP, a default SAN. */
  serviceIp: string;
  /** Stand-in for /var/lib/rancher/k3s: serving certificate, pid and log. */
  dataDir: string;
  caCert: string;
  caKey: string;
  birdSocket: string;
  /** calico-node's pid file: calicoctl tells from it whether Calico runs. */
  calicoPidFile: string;
  /** BIRD's pid file and runit's down file (`sv down bird6`): what pkill and crictl exec act on. */
  birdPidFile: string;
  birdDownFile: string;
  /** The router's namespace and this node's port on its bridge: a reboot takes the link down there, as a switch sees it. */
  routerNs: string;
  bridgePort: string;
  /** Absolute paths of node and tsx's loader, so wrappers run the stand-in with the lab's Node. */
  nodeBin: string;
  tsxLoader: string;
  /** The lab's shared Kubernetes store (kubeDbFile) and the cluster's service range. */
  kubeDb: string;
  serviceCidr: string;
  /** The admin bearer token's file (accepted besides client certificates). */
  kubeTokenFile: string;
  /** Shortened controller timings (tests); see timings.ts. */
  fastControllers: boolean;
}

export const K3S_CONFIG_FILE = "/etc/rancher/k3s/config.yaml";
export const K3S_VERSION = "v1.33.5+k3s1";

export const standinConfigFile = (nodeDir: string) => path.join(nodeDir, "standin.json");
export const servingCert = (c: StandinConfig) => ({
  cert: path.join(c.dataDir, "tls", "serving-kube-apiserver.crt"),
  key: path.join(c.dataDir, "tls", "serving-kube-apiserver.key"),
});
export const standinPidFile = (c: StandinConfig) => path.join(c.dataDir, "k3s.pid");
export const standinLogFile = (c: StandinConfig) => path.join(c.dataDir, "k3s.log");
/** Written when the apiserver is ready (k3s is Type=notify: `systemctl start k3s` returns then). */
export const standinReadyFile = (c: StandinConfig) => path.join(c.dataDir, "k3s.ready");

export function loadStandinConfig(file = process.env.K3S_LAB_NODE_CONFIG): StandinConfig {
  if (!file) throw new Error("K3S_LAB_NODE_CONFIG is not set: run this through the lab's wrappers");
  return JSON.parse(readFileSync(file, "utf8")) as StandinConfig;
}

/** `tls-san` from k3s's config file: a list or a single value, as k3s accepts both. */
export async function readTlsSan(file = K3S_CONFIG_FILE): Promise<string[]> {
  const doc = parse(await readFile(file, "utf8")) as Record<string, unknown> | null;
  const value = doc?.["tls-san"];
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v) => String(v).trim()).filter(Boolean);
}

/**
 * Health paths the apiserver answers without credentials. k3s turns anonymous auth off, so none by default
 * (k3s-io/k3s#3576); `kube-apiserver-arg: authentication-config=FILE` naming an AuthenticationConfiguration with
 * `anonymous.enabled` and `conditions` opens those paths (k3s >= v1.32.4, k3s-io/k3s#12245). Read at start, as k3s does.
 */
export function readAnonymousHealthPaths(file = K3S_CONFIG_FILE): string[] {
  const doc = parse(readFileSync(file, "utf8")) as Record<string, unknown> | null;
  const raw = doc?.["kube-apiserver-arg"];
  const args = (Array.isArray(raw) ? raw : raw === undefined || raw === null ? [] : [raw]).map(String);
  const arg = args.find((a) => a.startsWith("authentication-config="));
  if (!arg) return [];
  const authFile = arg.slice("authentication-config=".length);
  const auth = parse(readFileSync(authFile, "utf8")) as {
    anonymous?: { enabled?: boolean; conditions?: { path?: unknown }[] };
  } | null;
  if (auth?.anonymous?.enabled !== true) return [];
  return (auth.anonymous.conditions ?? [])
    .map((c) => c.path)
    .filter((p): p is string => typeof p === "string");
}

/**
 * The SANs k3s puts on its 6443 serving certificate: its defaults (kubernetes.*, localhost, node name, loopbacks,
 * node IP, the kubernetes Service IP) followed by every `tls-san` value.
 */
export function k3sSans(c: StandinConfig, tlsSan: readonly string[]): string[] {
  const defaults = [
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    "kubernetes.default.svc.cluster.local",
    "localhost",
    c.node,
    "127.0.0.1",
    "::1",
    c.address,
    c.serviceIp,
  ];
  return [...new Set([...defaults, ...tlsSan])];
}
