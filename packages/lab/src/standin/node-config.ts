// What a node's k3s stand-in knows about its node: written at `lab up`, read by the server and the node commands.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { isMap, isNode, isScalar, isSeq, parse, parseDocument } from "yaml";

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

/** A config file k3s would refuse to start with (it exits with the YAML error). */
export class K3sConfigError extends Error {}

const YAML_OPTIONS = { version: "1.1", uniqueKeys: false } as const;

/** One file's keys and values in file order (duplicates kept), as yaml.v2 decodes them into a MapSlice. */
function configEntries(file: string): Array<[string, unknown]> {
  const doc = parseDocument(readFileSync(file, "utf8"), YAML_OPTIONS);
  const error = doc.errors[0];
  if (error) throw new K3sConfigError(`${file}: ${error.message.split("\n")[0] ?? ""}`);
  if (doc.contents === null) return [];
  if (!isMap(doc.contents)) {
    const tag = isSeq(doc.contents) ? "!!seq" : "!!str";
    throw new K3sConfigError(`${file}: yaml: unmarshal errors: cannot unmarshal ${tag} into yaml.MapSlice`);
  }
  return doc.contents.items.map((pair) => {
    const key = isScalar(pair.key) ? pair.key.value : pair.key;
    const value = isNode(pair.value) ? pair.value.toJS(doc) : pair.value;
    return [String(key), value];
  });
}

/** toSlice in k3s's configfilearg: a list as is, a string as one item, anything else as its text (none if empty). */
function toSlice(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === "string") return [v];
  const text = v === null || v === undefined ? "" : String(v).trim();
  return text ? [text] : [];
}

/** config.yaml then config.yaml.d/*.yaml|*.yml (names in byte order, directories skipped), as dotDFiles lists them. */
function configFiles(file: string): string[] {
  const dir = `${file}.d`;
  let dropins: string[] = [];
  try {
    dropins = readdirSync(dir, { withFileTypes: true })
      .filter((e) => !e.isDirectory() && /\.ya?ml$/i.test(e.name))
      .map((e) => e.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
      .map((name) => path.join(dir, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  return existsSync(file) ? [file, ...dropins] : dropins;
}

/**
 * The configuration k3s starts with (pkg/configfilearg readConfigFile): config.yaml, then every drop-in in
 * config.yaml.d in lexical order; a later file's key replaces the earlier value, a key written with a trailing `+`
 * appends to it (a scalar becoming a one-element list). Keys keep the order they were first seen in. No file at all
 * is an empty config; a file that is not YAML throws K3sConfigError naming it (k3s itself logs only the YAML error).
 */
export function mergedK3sConfig(file = K3S_CONFIG_FILE): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const f of configFiles(file)) {
    for (const [rawKey, value] of configEntries(f)) {
      const append = rawKey.endsWith("+");
      const key = append ? rawKey.slice(0, -1) : rawKey;
      values[key] = append && key in values ? [...toSlice(values[key]), ...toSlice(value)] : value;
    }
  }
  return values;
}

/** A key's values as flags would carry them: a list's items, or the one value; empty when unset. */
export const configList = (config: Record<string, unknown>, key: string): string[] => {
  const v = config[key];
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => String(x));
};

/** `tls-san` of the effective config; each value may be a comma-separated list (k3s >= v1.27, k3s-io/k3s#7365). */
export function readTlsSan(config: Record<string, unknown> = mergedK3sConfig()): string[] {
  return configList(config, "tls-san")
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * Health paths the apiserver answers without credentials. k3s turns anonymous auth off, so none by default
 * (k3s-io/k3s#3576); `kube-apiserver-arg: authentication-config=FILE` naming an AuthenticationConfiguration with
 * `anonymous.enabled` and `conditions` opens those paths (k3s >= v1.32.4, k3s-io/k3s#12245). Read at start, as k3s does.
 */
export function readAnonymousHealthPaths(config: Record<string, unknown> = mergedK3sConfig()): string[] {
  const arg = configList(config, "kube-apiserver-arg").find((a) => a.startsWith("authentication-config="));
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
