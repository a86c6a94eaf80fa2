// Bringing a lab up (idempotent), down (removing everything it made) and reporting its status.
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm, rmdir, writeFile } from "node:fs/promises";
import { caFiles, ensureCa } from "./ca.js";
import { calicoPidFile } from "./calico/paths.js";
import { startCalicoNode, waitForCalicoNodes } from "./calico/process.js";
import { type CalicoVersion, calicoModel, DEFAULT_CALICO } from "./calico/versions.js";
import { makeTsigKey, namedPidFile, publishLabNames, startBind, tsigKeyFile } from "./daemons/bind.js";
import { birdPidFile, startBird } from "./daemons/bird.js";
import { frrPidFiles } from "./daemons/frr.js";
import { makeSshKeys, sshdPidFile, startSshd } from "./daemons/sshd.js";
import { run, waitFor } from "./exec.js";
import { setBgpMode } from "./faults.js";
import { applyPresetToLab, type Preset, setupKube } from "./kube-lab.js";
import { alive, listNamespaces, readPid, stopByPidFile } from "./netns.js";
import { buildNetwork, removeNetwork } from "./network.js";
import { ensureHostDirs, ensurePackages, removeHostDirs, requireRoot } from "./packages.js";
import { applyHostPreset, planTlsSan, presetDnsNames, presetK3sSettings } from "./presets.js";
import { prepareRouterFiles, startRouterFrr, startRouterSshd } from "./router.js";
import { waitForConverged } from "./routes.js";
import { dynamicCertFile, stateOf } from "./standin/dynamic-cert.js";
import { standinPidFile } from "./standin/node-config.js";
import { FAST_ENV } from "./standin/timings.js";
import { netnsEtc, standinConfig, wrapperArgs, wrapperEnv, writeNodeFiles } from "./standin/wrappers.js";
import { knownLabs, type LabStatus, labStatus, readLabInfo, writeLabInfo, writePlan } from "./state.js";
import {
  type BgpMode,
  BIND_ROOT,
  DEFAULT_ROUTER,
  type LabTopology,
  labTopology,
  namespaces,
  type RouterKind,
} from "./topology.js";

export interface UpOptions {
  bgp?: BgpMode;
  /** before (default): the design document's situation before HA; vip: option 1 applied; dns: option 2. */
  preset?: Preset;
  /** The Calico release to imitate (default v3.31.7); fixed for the life of a lab. */
  calico?: CalicoVersion;
  /** Shortened controller timings in the k3s stand-ins (node grace 8 s…); default: K3S_LAB_FAST_CONTROLLERS=1. */
  fastControllers?: boolean;
  /** linux-frr (default) or pfsense (pfSense's FRR package as the console sees it); fixed for the life of a lab. */
  router?: RouterKind;
  say?: (line: string) => void;
}

/** Every pid file the lab writes, so `down` can stop each process by its PID first. */
function pidFiles(t: LabTopology): string[] {
  return [
    ...frrPidFiles(t),
    namedPidFile(t),
    sshdPidFile(t.router),
    // calico-node before BIRD: its supervisor would otherwise start BIRD again while the lab goes down.
    ...t.nodes.flatMap((n) => [
      calicoPidFile(n),
      birdPidFile(n),
      sshdPidFile(n),
      standinPidFile(standinConfig(t, n)),
    ]),
  ];
}

const running = (file: string) => {
  const pid = readPid(file);
  return pid !== undefined && alive(pid);
};

/** Which daemons run, per machine (a fault may have stopped k3s or BIRD on a node of a lab that is up). */
export function daemonStates(t: LabTopology): Record<string, Record<string, boolean>> {
  const router: Record<string, boolean> = Object.fromEntries(
    frrPidFiles(t).map((f) => [f.replace(/^.*\/(\w+)\.pid$/, "$1"), running(f)]),
  );
  router.named = running(namedPidFile(t));
  router.sshd = running(sshdPidFile(t.router));
  const nodes = t.nodes.map((n) => [
    n.name,
    {
      bird: running(birdPidFile(n)),
      calico: running(calicoPidFile(n)),
      sshd: running(sshdPidFile(n)),
      k3s: running(standinPidFile(standinConfig(t, n))),
    },
  ]);
  return { router, ...Object.fromEntries(nodes) };
}

/** Up = every namespace present, the lab's record written, and the router's daemons running. */
export async function isUp(t: LabTopology): Promise<boolean> {
  const present = await listNamespaces();
  if (!namespaces(t).every((ns) => present.includes(ns)) || !(await readLabInfo(t))) return false;
  return Object.values(daemonStates(t).router ?? {}).every(Boolean);
}

async function assertNoClash(t: LabTopology): Promise<void> {
  for (const other of await knownLabs()) {
    if (other === t.name) continue;
    const o = labTopology(other);
    if (o.prefix === t.prefix || o.host.veth === t.host.veth)
      throw new Error(`lab "${other}" already uses ${o.prefix} / ${o.host.veth}; choose another --name`);
  }
}

async function prepareFiles(
  t: LabTopology,
  preset: Preset,
  fastControllers: boolean,
  router: RouterKind,
): Promise<void> {
  await mkdir(t.stateDir, { recursive: true, mode: 0o755 });
  for (const m of [t.router, ...t.nodes]) await mkdir(`${m.dir}/ssh`, { recursive: true });
  await ensureCa(caFiles(t.stateDir), t.name);
  await makeSshKeys(t, [t.router, ...t.nodes]);
  if (!existsSync(tsigKeyFile(t))) await writeFile(tsigKeyFile(t), await makeTsigKey(t), { mode: 0o600 });
  await prepareRouterFiles(t, router);
  const settings = presetK3sSettings(t, preset);
  await Promise.all(t.nodes.map((n) => writeNodeFiles(t, n, settings, { fastControllers })));
}

async function startDaemons(
  t: LabTopology,
  bgp: BgpMode,
  calico: CalicoVersion,
  preset: Preset,
  router: RouterKind,
): Promise<void> {
  const tsig = await readFile(tsigKeyFile(t), "utf8");
  const node = async (n: LabTopology["nodes"][number]) => {
    const [cmd, args] = wrapperArgs(n, "systemctl", ["start", "k3s"]);
    await Promise.all([
      // BIRD starts on the static config; calico-node then renders it from the API and reloads BIRD.
      startBird(t, n, bgp === "bfd", false, calicoModel(calico).birdOrder).then(() =>
        startCalicoNode(t, n, calico),
      ),
      startSshd(t, n),
      run(cmd, args, { ns: n.ns, env: wrapperEnv(n), timeoutMs: 20_000 }),
    ]);
  };
  await Promise.all([
    startRouterFrr(t, router, bgp),
    startBind(t, tsig).then(() => publishLabNames(t, presetDnsNames(preset))),
    startRouterSshd(t, router),
    ...t.nodes.map(node),
  ]);
}

/**
 * Waits (bounded) until every server serves the same certificate: each k3s adds its own names to the shared
 * kube-system/k3s-serving Secret as it starts, and the others take the merged certificate up.
 */
async function waitForServingCert(t: LabTopology, timeoutMs = 15_000): Promise<void> {
  const serving = (n: LabTopology["nodes"][number]) => {
    try {
      return stateOf(JSON.parse(readFileSync(dynamicCertFile(standinConfig(t, n)), "utf8")));
    } catch {
      return undefined;
    }
  };
  const every = t.nodes.flatMap((n) => [n.name, n.address]);
  await waitFor(
    "every k3s to serve the one merged certificate",
    async () => {
      const states = t.nodes.map(serving);
      const first = states[0];
      const same = first && states.every((s) => s?.fingerprint === first.fingerprint);
      return same && every.every((name) => first.sans.includes(name)) ? true : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/**
 * Waits until the router has the lab's routes: the VIP and the service range from every node with the `vip`
 * preset; only the service range otherwise (before HA nothing advertises the VIP: calico-node renders BIRD's
 * configuration from the API objects the preset wrote).
 */
async function waitForLabRoutes(t: LabTopology, preset: Preset): Promise<void> {
  await waitForConverged(t, preset === "vip" ? {} : { prefixes: [t.serviceCidr] });
}

/**
 * Brings the lab up; when it already runs, only a BGP mode and a preset asked for are brought in line.
 * Returns its status.
 */
export async function labUp(name: string, options: UpOptions = {}): Promise<LabStatus> {
  const say = options.say ?? (() => {});
  requireRoot("up");
  const t = labTopology(name);
  if (await isUp(t)) {
    const info = await readLabInfo(t);
    const running = info?.calico ?? DEFAULT_CALICO;
    if (options.calico && options.calico !== running)
      throw new Error(
        `lab ${name} runs Calico ${running}; the version is fixed for a lab's life: take it down (lab down --name ${name}) and bring it up with --calico ${options.calico}`,
      );
    const router = info?.router ?? DEFAULT_ROUTER;
    if (options.router && options.router !== router)
      throw new Error(
        `lab ${name}'s router is ${router}; the router kind is fixed for a lab's life: take it down (lab down --name ${name}) and bring it up with --router ${options.router}`,
      );
    let changed = false;
    if (info && options.bgp && info.bgp !== options.bgp) {
      say(`lab ${name} is up; switching BGP from ${info.bgp} to ${options.bgp}`);
      await setBgpMode(t, options.bgp);
      changed = true;
    }
    if (info && options.preset && (info.preset ?? "before") !== options.preset) {
      say(`lab ${name} is up; applying preset ${options.preset} (was ${info.preset ?? "before"})`);
      await applyPresetToLab(t, options.preset);
      await applyHostPreset(t, options.preset);
      await waitForServingCert(t);
      await writeLabInfo(t, { ...info, preset: options.preset });
      changed = true;
    }
    if (!changed) say(`lab ${name} is already up`);
    return labStatus(t, true, await readLabInfo(t));
  }
  const bgp = options.bgp ?? "default";
  const preset = options.preset ?? "before";
  const calico = options.calico ?? DEFAULT_CALICO;
  const router = options.router ?? DEFAULT_ROUTER;
  const fastControllers = options.fastControllers ?? process.env[FAST_ENV] === "1";
  await ensurePackages(say);
  await assertNoClash(t);
  if ((await listNamespaces()).some((ns) => namespaces(t).includes(ns))) {
    say(`lab ${name} is partly up; taking it down first`);
    await labDown(name);
  }
  await ensureHostDirs();
  try {
    await prepareFiles(t, preset, fastControllers, router);
    await setupKube(t, preset, calico);
    await buildNetwork(t);
    await startDaemons(t, bgp, calico, preset, router);
    await waitForServingCert(t);
    await waitForCalicoNodes(t);
    await waitForLabRoutes(t, preset);
    await writePlan(t, planTlsSan(t), router);
    await writeLabInfo(t, {
      name,
      bgp,
      calico,
      preset,
      fastControllers,
      router,
      upAt: new Date().toISOString(),
    });
  } catch (err) {
    if (process.env.K3S_LAB_KEEP_ON_FAILURE) throw err;
    say(
      `lab ${name} failed to come up; removing what was made (K3S_LAB_KEEP_ON_FAILURE=1 keeps it to debug)`,
    );
    await labDown(name).catch(() => {});
    throw err;
  }
  return labStatus(t, true, await readLabInfo(t));
}

/** Stops every process (pid files, then whatever is left in the namespaces) and removes all the lab made. */
export async function labDown(name: string): Promise<void> {
  requireRoot("down");
  const t = labTopology(name);
  await Promise.all(pidFiles(t).map((f) => stopByPidFile(f)));
  await removeNetwork(t);
  await Promise.all([
    rm(t.stateDir, { recursive: true, force: true }),
    rm(t.bindDir, { recursive: true, force: true }),
    ...namespaces(t).map((ns) => rm(netnsEtc(ns), { recursive: true, force: true })),
  ]);
  if ((await knownLabs()).length === 0) {
    await rmdir(BIND_ROOT).catch(() => {});
    await removeHostDirs();
  }
}

export async function labStatusOf(name: string): Promise<LabStatus> {
  const t = labTopology(name);
  const up = await isUp(t);
  return {
    ...labStatus(t, up, up ? await readLabInfo(t) : undefined),
    ...(up ? { daemons: daemonStates(t) } : {}),
  };
}
