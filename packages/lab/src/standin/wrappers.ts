// Files each lab machine sees: its bin/ wrappers (first on the SSH PATH) and its own /etc via /etc/netns/<ns>/.
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { stringify } from "yaml";
import { caFiles } from "../ca.js";
import { birdDownFile, calicoPidFile } from "../calico/paths.js";
import { birdPidFile, birdSocket } from "../daemons/bird.js";
import { frrDir } from "../daemons/frr.js";
import { binDir, SYSTEM_PATH } from "../daemons/sshd.js";
import { kubeDbFile, kubeTokenFile } from "../kube-state.js";
import type { LabTopology, MachineSpec, NodeSpec } from "../topology.js";
import { renderUnitArgs, unitArgsFile } from "./k3s-unit.js";
import { type StandinConfig, standinConfigFile } from "./node-config.js";
import { FAST_TIMINGS } from "./timings.js";

const NODE_COMMANDS = fileURLToPath(new URL("./node-commands.ts", import.meta.url));

/** `ip netns exec` bind-mounts /etc/netns/<ns>/<entry> over /etc/<entry> for what it starts (sshd, daemons). */
export const netnsEtc = (ns: string) => path.join("/etc/netns", ns);
export const k3sConfigFile = (node: NodeSpec) =>
  path.join(netnsEtc(node.ns), "rancher", "k3s", "config.yaml");

function tsxLoader(): string {
  const require = createRequire(import.meta.url);
  return pathToFileURL(require.resolve("tsx")).href;
}

async function writeScript(file: string, body: string): Promise<void> {
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
}

/** A login shell resets PATH in /etc/profile: the machine's own profile puts the wrappers back in front. */
async function writeProfile(m: MachineSpec): Promise<void> {
  const hostProfile = existsSync("/etc/profile") ? await readFile("/etc/profile", "utf8") : "";
  const file = path.join(netnsEtc(m.ns), "profile");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(
    file,
    `${hostProfile}\n# k3s-ha lab: this machine's commands first\nPATH="${binDir(m)}:$PATH"\nexport PATH\n`,
  );
}

export async function writeRouterFiles(t: LabTopology): Promise<void> {
  const bin = binDir(t.router);
  await mkdir(bin, { recursive: true });
  // vtysh as on pfSense: the same command line, pointed at this router's FRR sockets.
  await writeScript(path.join(bin, "vtysh"), `exec /usr/bin/vtysh --vty_socket ${frrDir(t)} "$@"`);
  await writeProfile(t.router);
}

export function standinConfig(
  t: LabTopology,
  node: NodeSpec,
  options: { fastControllers?: boolean } = {},
): StandinConfig {
  const ca = caFiles(t.stateDir);
  return {
    node: node.name,
    address: node.address,
    vip: t.vip,
    serviceIp: t.serviceCidr.replace(/::\/\d+$/, "::1"),
    dataDir: path.join(node.dir, "k3s"),
    caCert: ca.cert,
    caKey: ca.key,
    birdSocket: birdSocket(node),
    calicoPidFile: calicoPidFile(node),
    birdPidFile: birdPidFile(node),
    birdDownFile: birdDownFile(node),
    routerNs: t.router.ns,
    bridgePort: node.bridgePort,
    nodeBin: process.execPath,
    tsxLoader: tsxLoader(),
    kubeDb: kubeDbFile(t),
    kubeTokenFile: kubeTokenFile(t),
    serviceCidr: t.serviceCidr,
    fastControllers: options.fastControllers === true,
  };
}

/** Where k3s's AuthenticationConfiguration lives on the node (as the node sees its /etc). */
const AUTH_CONFIG_PATH = "/etc/rancher/k3s/authentication-config.yaml";

/** Anonymous requests allowed on the health paths only (k3s >= v1.32.4 accepts `anonymous.conditions`). */
export function renderAuthenticationConfig(): string {
  return `# ${AUTH_CONFIG_PATH}: named by kube-apiserver-arg in config.yaml
${stringify({
  apiVersion: "apiserver.config.k8s.io/v1beta1",
  kind: "AuthenticationConfiguration",
  anonymous: { enabled: true, conditions: [{ path: "/livez" }, { path: "/readyz" }] },
})}`;
}

/** What a preset writes into a node's k3s config: its tls-san, and whether anonymous /readyz is configured. */
export interface NodeK3sSettings {
  tlsSan: readonly string[];
  authConfig: boolean;
}

/** The node's k3s config file as an operator would have written it for this lab. */
export function renderK3sConfig(t: LabTopology, node: NodeSpec, settings: NodeK3sSettings): string {
  const config = {
    "node-ip": node.address,
    "cluster-cidr": t.podCidr,
    "service-cidr": t.serviceCidr,
    "cluster-dns": t.clusterDns,
    "flannel-backend": "none",
    "disable-network-policy": true,
    disable: ["servicelb", "traefik"],
    "tls-san": [...settings.tlsSan],
    // Anonymous auth is off in k3s: this opens /readyz and /livez only, so readiness probes can reach them.
    ...(settings.authConfig ? { "kube-apiserver-arg": [`authentication-config=${AUTH_CONFIG_PATH}`] } : {}),
  };
  return `# /etc/rancher/k3s/config.yaml on ${node.name} (k3s-ha lab ${t.name})\n${stringify(config)}`;
}

/** Writes the node's config.yaml (and the AuthenticationConfiguration it names, or removes it when unnamed). */
export async function writeK3sConfig(
  t: LabTopology,
  node: NodeSpec,
  settings: NodeK3sSettings,
): Promise<boolean> {
  const file = k3sConfigFile(node);
  const text = renderK3sConfig(t, node, settings);
  const auth = path.join(path.dirname(file), path.basename(AUTH_CONFIG_PATH));
  const before = existsSync(file) ? await readFile(file, "utf8") : "";
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  if (settings.authConfig) await writeFile(auth, renderAuthenticationConfig());
  else await rm(auth, { force: true });
  return before !== text;
}

/** k3s.service's ExecStart arguments on the node (`server` and its flags); the stand-in reads them at start. */
export async function writeK3sUnitArgs(
  t: LabTopology,
  node: NodeSpec,
  args: readonly string[],
): Promise<void> {
  const file = unitArgsFile(standinConfig(t, node));
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, renderUnitArgs(args));
}

/** Where the node's config drop-ins go (/etc/rancher/k3s/config.yaml.d as the node sees it). */
export const k3sConfigDropinDir = (node: NodeSpec) => `${k3sConfigFile(node)}.d`;

/** The lab's own drop-in: `--fast-controllers` as an operator tunes kube-controller-manager (k3s passes it on). */
export const fastControllersDropin = (node: NodeSpec) =>
  path.join(k3sConfigDropinDir(node), "10-lab-fast-controllers.yaml");

export function renderFastControllersDropin(): string {
  const ms = (v: number) => `${v / 1000}s`;
  return [
    "# Written by the k3s-ha lab (--fast-controllers): kube-controller-manager's timings, shortened for tests.",
    "kube-controller-manager-arg+:",
    `  - node-monitor-grace-period=${ms(FAST_TIMINGS.nodeGracePeriodMs)}`,
    `  - node-monitor-period=${ms(FAST_TIMINGS.nodeMonitorPeriodMs)}`,
    `  - leader-elect-lease-duration=${ms(FAST_TIMINGS.leaderLeaseMs)}`,
    `  - leader-elect-retry-period=${ms(FAST_TIMINGS.leaderRetryMs)}`,
    "",
  ].join("\n");
}

export async function writeNodeFiles(
  t: LabTopology,
  node: NodeSpec,
  settings: NodeK3sSettings,
  options: { fastControllers?: boolean } = {},
): Promise<void> {
  const bin = binDir(node);
  await mkdir(bin, { recursive: true });
  const config = standinConfig(t, node, options);
  await writeFile(standinConfigFile(node.dir), `${JSON.stringify(config, null, 2)}\n`);
  const run = (cmd: string) =>
    `export K3S_LAB_NODE_CONFIG=${standinConfigFile(node.dir)}\nexec ${config.nodeBin} --import ${config.tsxLoader} ${NODE_COMMANDS} ${cmd} "$@"`;
  // pkill: the lab's machines share one process table, so a real `pkill -x bird6` would reach every lab's BIRD.
  for (const cmd of ["systemctl", "k3s", "calicoctl", "pkill"])
    await writeScript(path.join(bin, cmd), run(cmd));
  await writeScript(path.join(bin, "birdc"), `exec /usr/sbin/birdc -s ${birdSocket(node)} "$@"`);
  // Only write config.yaml and the unit's arguments once: an operator's (or a test's) edits survive `lab up` run
  // again; in config.yaml.d/ only the lab's own fast-controllers drop-in is written or removed here (only `lab down`
  // removes /etc/netns/<ns>).
  if (!existsSync(k3sConfigFile(node))) await writeK3sConfig(t, node, settings);
  if (options.fastControllers) {
    await mkdir(k3sConfigDropinDir(node), { recursive: true });
    await writeFile(fastControllersDropin(node), renderFastControllersDropin());
  } else await rm(fastControllersDropin(node), { force: true });
  if (!existsSync(unitArgsFile(config))) await writeK3sUnitArgs(t, node, ["server"]);
  await writeProfile(node);
}

/** Runs a machine's own wrapper inside its namespace (as sshd's sessions would), e.g. `systemctl start k3s`. */
export function wrapperArgs(m: MachineSpec, command: string, args: readonly string[]): [string, string[]] {
  return [path.join(binDir(m), command), [...args]];
}

export const wrapperEnv = (m: MachineSpec): NodeJS.ProcessEnv => ({
  ...process.env,
  PATH: `${binDir(m)}:${SYSTEM_PATH}`,
});
