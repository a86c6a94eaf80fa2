// Fault controls for failover drills: k3s, BIRD (graceful or killed), a node's link, nftables blackhole, BGP mode.
import { spawn } from "node:child_process";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { birdDownFile, calicoPidFile } from "./calico/paths.js";
import { startCalicoNode } from "./calico/process.js";
import { calicoModel } from "./calico/versions.js";
import { birdc, birdPidFile, reconfigureBird, startBird } from "./daemons/bird.js";
import { vtyshJson } from "./daemons/frr.js";
import { run, waitFor } from "./exec.js";
import { alive, readPid } from "./netns.js";
import { setRouterBgpMode } from "./router.js";
import { waitForConverged } from "./routes.js";
import { wrapperArgs, wrapperEnv } from "./standin/wrappers.js";
import { readLabInfo, writeLabInfo } from "./state.js";
import { type BgpMode, findNode, type LabTopology } from "./topology.js";

const BLACKHOLE_TABLE = "k3s_ha_lab_blackhole";
/** A blackhole always ends: at most this long, whatever the caller asks. */
export const MAX_BLACKHOLE_SECONDS = 600;

async function nodeCommand(
  t: LabTopology,
  nodeName: string,
  command: string,
  args: string[],
): Promise<string> {
  const node = findNode(t, nodeName);
  const [cmd, argv] = wrapperArgs(node, command, args);
  return (await run(cmd, argv, { ns: node.ns, env: wrapperEnv(node), timeoutMs: 20_000 })).stdout;
}

export const stopK3s = (t: LabTopology, node: string) => nodeCommand(t, node, "systemctl", ["stop", "k3s"]);
export const startK3s = (t: LabTopology, node: string) => nodeCommand(t, node, "systemctl", ["start", "k3s"]);
/** `systemctl is-active k3s` on the node: true when k3s runs. */
export async function k3sActive(t: LabTopology, nodeName: string): Promise<boolean> {
  const node = findNode(t, nodeName);
  const [cmd, argv] = wrapperArgs(node, "systemctl", ["is-active", "k3s"]);
  const r = await run(cmd, argv, { ns: node.ns, env: wrapperEnv(node), timeoutMs: 20_000, allowFail: true });
  return r.stdout.trim() === "active";
}

async function birdGone(t: LabTopology, nodeName: string): Promise<void> {
  const pid = readPid(birdPidFile(findNode(t, nodeName)));
  if (pid === undefined) return;
  await waitFor(`BIRD on ${nodeName} to exit`, async () => (alive(pid) ? undefined : true), {
    timeoutMs: 5_000,
  });
}

/**
 * `sv down bird6` then `birdc down`: runit in calico-node stops restarting BIRD, and BIRD closes its sessions with
 * a Cease notification, so the router withdraws at once.
 */
export async function stopBirdGracefully(t: LabTopology, nodeName: string): Promise<void> {
  const node = findNode(t, nodeName);
  await mkdir(path.dirname(birdDownFile(node)), { recursive: true });
  await writeFile(birdDownFile(node), "down\n");
  await birdc(node, "down");
  await birdGone(t, nodeName);
}

/**
 * SIGKILL: no notification. runit in calico-node restarts BIRD at once with `-R` (graceful restart), so the router
 * keeps the paths as stale only until the new sessions send End-of-RIB — seconds, not the 120 s restart time.
 */
export async function killBird(t: LabTopology, nodeName: string): Promise<void> {
  const pid = readPid(birdPidFile(findNode(t, nodeName)));
  if (pid === undefined || !alive(pid)) throw new Error(`BIRD is not running on ${nodeName}`);
  process.kill(pid, "SIGKILL");
  await birdGone(t, nodeName);
}

/** `sv up bird6`: BIRD runs again (started here at once rather than waiting for the supervisor's next look). */
export async function startBirdAgain(t: LabTopology, nodeName: string): Promise<void> {
  const node = findNode(t, nodeName);
  await rm(birdDownFile(node), { force: true });
  const pid = readPid(birdPidFile(node));
  if (pid !== undefined && alive(pid)) return;
  const info = await readLabInfo(t);
  await startBird(t, node, info?.bgp === "bfd", false, calicoModel(info?.calico).birdOrder).catch(
    async (err: unknown) => {
      // The supervisor may have started it in the same moment.
      const again = readPid(birdPidFile(node));
      if (again === undefined || !alive(again)) throw err;
    },
  );
}

/**
 * calico-node itself dies (SIGKILL to calico-node and its BIRD): nothing restarts BIRD, and the router's graceful
 * restart helper holds the paths as stale for up to the restart time (120 s) before withdrawing them.
 */
export async function killCalicoNode(t: LabTopology, nodeName: string): Promise<void> {
  const node = findNode(t, nodeName);
  const calico = readPid(calicoPidFile(node));
  if (calico !== undefined && alive(calico)) process.kill(calico, "SIGKILL");
  const pid = readPid(birdPidFile(node));
  if (pid !== undefined && alive(pid)) process.kill(pid, "SIGKILL");
  await birdGone(t, nodeName);
}

/** calico-node comes back: BIRD (with graceful restart recovery) and the stand-in. */
export async function startCalicoNodeAgain(t: LabTopology, nodeName: string): Promise<void> {
  const node = findNode(t, nodeName);
  const info = await readLabInfo(t);
  const pid = readPid(birdPidFile(node));
  if (pid === undefined || !alive(pid))
    await startBird(t, node, info?.bgp === "bfd", true, calicoModel(info?.calico).birdOrder);
  await startCalicoNode(t, node, info?.calico);
}

/** Takes the node's switch port on the router's bridge down: the router keeps its interface, as with a real switch. */
export async function cutLink(t: LabTopology, nodeName: string): Promise<void> {
  await run("ip", ["-n", t.router.ns, "link", "set", findNode(t, nodeName).bridgePort, "down"]);
}

export async function restoreLink(t: LabTopology, nodeName: string): Promise<void> {
  await run("ip", ["-n", t.router.ns, "link", "set", findNode(t, nodeName).bridgePort, "up"]);
}

/**
 * Drops every packet in and out of the node's eth0 (a silent, hard failure) for `seconds`, then heals by itself:
 * a timer process inside the node's namespace deletes the table, so the fault ends even if the caller dies.
 */
export async function blackholeNode(t: LabTopology, nodeName: string, seconds: number): Promise<void> {
  if (!(seconds > 0 && seconds <= MAX_BLACKHOLE_SECONDS))
    throw new Error(`blackhole time must be between 0 and ${MAX_BLACKHOLE_SECONDS} s, got ${seconds}`);
  const node = findNode(t, nodeName);
  const rules = `table inet ${BLACKHOLE_TABLE} {
  chain input { type filter hook input priority -300; policy accept; iifname "eth0" drop; }
  chain output { type filter hook output priority -300; policy accept; oifname "eth0" drop; }
}
`;
  await run("nft", ["-f", "-"], { ns: node.ns, input: rules });
  const heal = `sleep ${seconds}; nft delete table inet ${BLACKHOLE_TABLE} 2>/dev/null`;
  const timer = spawn("ip", ["netns", "exec", node.ns, "sh", "-c", heal], {
    detached: true,
    stdio: "ignore",
  });
  timer.unref();
}

export async function healBlackhole(t: LabTopology, nodeName: string): Promise<void> {
  const node = findNode(t, nodeName);
  await run("nft", ["delete", "table", "inet", BLACKHOLE_TABLE], { ns: node.ns, allowFail: true });
}

/**
 * Switches the lab's BGP mode: default FRR timers (keepalive 60 / hold 180), fast (1 / 3), or BFD (100 ms x 3, default
 * timers). Sessions restart; returns when all are established again.
 */
export async function setBgpMode(t: LabTopology, mode: BgpMode, { force = false } = {}): Promise<void> {
  const info = await readLabInfo(t);
  if (info?.bgp === mode && !force) return;
  await Promise.all(t.nodes.map((n) => reconfigureBird(t, n, mode === "bfd")));
  await setRouterBgpMode(t, mode);
  // Before HA (preset `before`) calico-node advertises no VIP: only the service range tells convergence.
  const prefixes = (info?.preset ?? "before") === "vip" ? undefined : [t.serviceCidr];
  await waitForConverged(t, { timeoutMs: 30_000, ...(prefixes ? { prefixes } : {}) });
  // BGP converges before BFD does: a drill started now would time a session still in `init`.
  if (mode === "bfd") {
    await waitFor(
      "every BFD session up",
      async () => {
        const peers = await vtyshJson<{ status: string }[]>(t, "show bfd peers json");
        return peers.length === t.nodes.length && peers.every((p) => p.status === "up") ? true : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 100 },
    );
  }
  await writeLabInfo(t, { ...info, name: t.name, upAt: info?.upAt ?? new Date().toISOString(), bgp: mode });
}
