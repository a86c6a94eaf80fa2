// The lab's state directory: the plan it writes (console format, real host keys), status, and what `down` removes.

import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { lintPlan, type PlanInput, validatePlan } from "@k3s-ha/shared";
import { stringify } from "yaml";
import { caFiles } from "./ca.js";
import { type CalicoVersion, calicoModel, DEFAULT_CALICO, describeCalico } from "./calico/versions.js";
import { tsigKeyFile } from "./daemons/bind.js";
import { ADMIN_USER } from "./daemons/router-view.js";
import { clientKeyFile, hostKey, knownHostsFile } from "./daemons/sshd.js";
import { type BgpMode, DEFAULT_ROUTER, LAB_ROOT, type LabTopology, type RouterKind } from "./topology.js";

export const planFile = (t: LabTopology) => path.join(t.stateDir, "plan.yaml");
export const kubeconfigFile = (t: LabTopology) => path.join(t.stateDir, "kubeconfig");
const labInfoFile = (t: LabTopology) => path.join(t.stateDir, "lab.json");

/** Facts about a running lab that are not derived from its name. */
export interface LabInfo {
  name: string;
  bgp: BgpMode;
  /** The Calico release the lab imitates (absent in labs brought up before versions existed: v3.31.7). */
  calico?: CalicoVersion;
  /** The preset `up` applied last (absent in labs brought up before presets existed: before). */
  preset?: "before" | "vip" | "dns";
  fastControllers?: boolean;
  /** The router's kind (absent in labs brought up before kinds existed: linux-frr). */
  router?: RouterKind;
  upAt: string;
}

export interface LabStatus {
  name: string;
  up: boolean;
  stateDir: string;
  plan: string;
  kubeconfig: string;
  knownHosts: string;
  privateKey: string;
  tsigKey: string;
  caCert: string;
  prefix: string;
  router: string;
  nodes: { name: string; address: string }[];
  vip: string;
  dns: { server: string; port: number; zone: string };
  bgp?: BgpMode;
  /** Set when the BGP mode is one a real Calico cluster cannot run (BFD: Calico renders none for its BIRD). */
  bgpNote?: string;
  /** Which upstream behaviours the lab imitates, and from which versions (packages/lab/README.md, "Fidelity"). */
  models: LabModels;
  preset?: "before" | "vip" | "dns";
  /** Per machine, which daemons run (only when up). */
  daemons?: Record<string, Record<string, boolean>>;
}

export async function writeLabInfo(t: LabTopology, info: LabInfo): Promise<void> {
  await mkdir(t.stateDir, { recursive: true });
  await writeFile(labInfoFile(t), `${JSON.stringify(info, null, 2)}\n`);
}

export async function readLabInfo(t: LabTopology): Promise<LabInfo | undefined> {
  if (!existsSync(labInfoFile(t))) return undefined;
  return JSON.parse(await readFile(labInfoFile(t), "utf8")) as LabInfo;
}

/** Names of the labs that have a state directory on this host. */
export async function knownLabs(): Promise<string[]> {
  if (!existsSync(LAB_ROOT)) return [];
  const entries = await readdir(LAB_ROOT, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

/** The lab in the console's plan format, with every file referenced by absolute path. */
export async function buildPlan(
  t: LabTopology,
  tlsSan: readonly string[],
  router: RouterKind = DEFAULT_ROUTER,
): Promise<PlanInput> {
  const ssh = async (m: LabTopology["router"] | LabTopology["nodes"][number]) => ({
    user: "root",
    port: 22,
    hostKey: await hostKey(m),
    privateKeyFile: clientKeyFile(t),
  });
  // pfSense: the least-privilege `admin`, whose privileged commands run as `sudo -n /usr/local/bin/vtysh …`.
  const routerSsh = async () =>
    router === "pfsense" ? { ...(await ssh(t.router)), user: ADMIN_USER, sudo: true } : await ssh(t.router);
  const g = t.prefix.replace(/::\/64$/, "");
  return {
    apiVersion: "k3s-ha/v1",
    kind: "Plan",
    metadata: {
      name: t.name,
      description: `The k3s-ha lab "${t.name}": three k3s servers, Calico-style BIRD to an FRR router, BIND9 on port 5353.`,
    },
    network: {
      prefix: t.prefix,
      hostRange: { from: `${g}::`, to: `${g}:feff:ffff:ffff:ffff` },
      onLink: false,
      podCidr: t.podCidr,
      podBlockSize: t.podBlockSize,
      serviceCidr: t.serviceCidr,
      clusterDns: t.clusterDns,
      loadBalancerCidr: t.loadBalancerCidr,
      apiVip: t.vip,
    },
    bgp: {
      clusterAsn: t.clusterAsn,
      router: {
        name: t.router.name,
        address: t.router.address,
        asn: t.router.asn,
        platform: router === "pfsense" ? "pfsense-frr" : "linux-frr",
        ssh: await routerSsh(),
      },
      rejectPodRoutes: true,
      nodeToNodeMesh: true,
      podEncapsulation: "None",
    },
    nodes: await Promise.all(
      t.nodes.map(async (n) => ({
        name: n.name,
        address: n.address,
        role: "server" as const,
        ssh: await ssh(n),
      })),
    ),
    dns: {
      server: t.router.address,
      port: t.dns.port,
      zone: t.dns.zone,
      ttl: t.dns.ttl,
      roundRobinName: t.dns.roundRobinName,
      vipName: t.dns.vipName,
      tsig: { name: t.dns.tsigName, algorithm: "hmac-sha256", secretFile: tsigKeyFile(t) },
    },
    k3s: { tlsSan: [...tlsSan] },
    kubernetes: {
      kubeconfig: kubeconfigFile(t),
      context: t.name,
      // Fast controller timings are in the servers' k3s configuration (a kube-controller-manager-arg drop-in), where
      // the console reads them, as on a real cluster: the plan does not repeat them.
    },
  };
}

/** Writes plan.yaml after checking it the way `k3s-ha plan lint` does: no error and no warning allowed. */
export async function writePlan(
  t: LabTopology,
  tlsSan: readonly string[],
  router: RouterKind = DEFAULT_ROUTER,
): Promise<string> {
  const plan = await buildPlan(t, tlsSan, router);
  const text = `# Written by \`k3s-ha lab up\` for the lab "${t.name}": real host keys, absolute paths.\n${stringify(plan, { lineWidth: 0 })}`;
  const checked = validatePlan(plan);
  if (!checked.ok) throw new Error(`the lab's plan does not validate: ${JSON.stringify(checked.errors)}`);
  const bad = lintPlan(checked.plan).filter((f) => f.severity !== "info");
  if (bad.length)
    throw new Error(`the lab's plan has findings: ${bad.map((f) => `${f.id}: ${f.message}`).join("; ")}`);
  await writeFile(planFile(t), text);
  return planFile(t);
}

export function labStatus(t: LabTopology, up: boolean, info?: LabInfo): LabStatus {
  return {
    name: t.name,
    up,
    stateDir: t.stateDir,
    plan: planFile(t),
    kubeconfig: kubeconfigFile(t),
    knownHosts: knownHostsFile(t),
    privateKey: clientKeyFile(t),
    tsigKey: tsigKeyFile(t),
    caCert: caFiles(t.stateDir).cert,
    prefix: t.prefix,
    router: t.router.address,
    nodes: t.nodes.map((n) => ({ name: n.name, address: n.address })),
    vip: t.vip,
    dns: { server: t.router.address, port: t.dns.port, zone: t.dns.zone },
    ...(info ? { bgp: info.bgp, preset: info.preset ?? "before" } : {}),
    ...(info?.bgp === "bfd" ? { bgpNote: BFD_NOTE } : {}),
    models: labModels(info?.calico ?? DEFAULT_CALICO, info?.router ?? DEFAULT_ROUTER),
  };
}

/**
 * What the lab imitates, said plainly: the version of each part and the behaviour in force where it depends on the
 * version. Kept in step with the README's fidelity table.
 */
export function labModels(calico: CalicoVersion, router: RouterKind = DEFAULT_ROUTER) {
  return {
    k3s: "v1.33.5+k3s1 stand-in (Kubernetes API over one shared store; supervisor /ping and /cacerts; 503 while starting)",
    dynamiclistener:
      "serving certificate from the shared kube-system/k3s-serving Secret: tls-san added on every start, never removed; rotate writes the regenerate trigger",
    kubeControllerManager:
      "leader lease kept on stop (a new leader after expiry, 15 s); grace period (50 s) from when the leader first sees a node",
    kubeProxy:
      "eTP Local: external traffic dropped on nodes without a local endpoint (nftables; kept when k3s stops)",
    calico: describeCalico(calicoModel(calico)),
    calicoVersion: calico,
    calicoctl: "node status as status.go prints it, tablewriter v0.0.5 layout",
    bird: "Debian BIRD 2.0.12 (calico-node runs a BIRD 1.6 fork); restarted by runit with -R when killed",
    metallb:
      "v0.15.3 controller, subset: pools, serviceAllocation, annotations, events, status; installed by the vip preset only",
    router,
    frr:
      router === "pfsense"
        ? "Debian FRR 8.4 as pfSense's FRR package runs it: /usr/local/bin/vtysh, admin with sudo for vtysh only, frr.conf regenerated from the package's settings (frr defaults traditional)"
        : "Debian FRR 8.4 on the router (frr defaults traditional, Debian's build default)",
  };
}

export type LabModels = ReturnType<typeof labModels>;

export const BFD_NOTE =
  "what-if: Calico renders no BFD for its BIRD, so a real cluster cannot run this mode; its timings are not a prediction";
