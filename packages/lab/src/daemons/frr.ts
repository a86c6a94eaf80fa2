// The router's FRR (zebra, bgpd, bfdd) in its namespace: own sockets and pid files, config pushed with vtysh.

import { existsSync } from "node:fs";
import { chown, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { output, run, waitFor } from "../exec.js";
import { stopByPidFile } from "../netns.js";
import type { BgpMode, LabTopology } from "../topology.js";

const FRR_LIB = "/usr/lib/frr";
const DAEMONS = ["zebra", "bgpd", "bfdd"] as const;
export const BFD_PROFILE = "lab";

export const frrDir = (t: LabTopology) => path.join(t.router.dir, "frr");
export const frrPidFiles = (t: LabTopology) => DAEMONS.map((d) => path.join(frrDir(t), `${d}.pid`));

/** Lines under `router bgp` that depend on the BGP mode: timers and BFD. */
function modeLines(mode: BgpMode): string[] {
  const lines: string[] = [];
  if (mode === "fast") lines.push(" neighbor NODES timers 1 3");
  if (mode === "bfd") lines.push(` neighbor NODES bfd profile ${BFD_PROFILE}`);
  return lines;
}

export function renderFrrConf(t: LabTopology, mode: BgpMode): string {
  const neighbors = t.nodes.flatMap((n) => [
    ` neighbor ${n.address} peer-group NODES`,
    ` neighbor ${n.address} description ${n.name}`,
  ]);
  return [
    "hostname router",
    `log file ${path.join(frrDir(t), "frr.log")} informational`,
    "!",
    "bfd",
    ` profile ${BFD_PROFILE}`,
    "  receive-interval 100",
    "  transmit-interval 100",
    "  detect-multiplier 3",
    // BIRD sends multihop BFD with the system's TTL (64), not 255: accept any TTL.
    "  minimum-ttl 1",
    " exit",
    "exit",
    "!",
    `router bgp ${t.router.asn}`,
    ` bgp router-id ${t.router.routerId}`,
    // RFC 8212 is on by default in FRR: without policy, eBGP peers exchange nothing (peerState "Policy").
    " no bgp ebgp-requires-policy",
    " no bgp default ipv4-unicast",
    " neighbor NODES peer-group",
    ` neighbor NODES remote-as ${t.clusterAsn}`,
    // Calico's BIRD peers with multihop (ttl security off), so the router does the same for BFD to match.
    " neighbor NODES ebgp-multihop 2",
    ...modeLines(mode),
    ...neighbors,
    " !",
    " address-family ipv6 unicast",
    "  neighbor NODES activate",
    "  maximum-paths 8",
    " exit-address-family",
    "exit",
    "!",
    "",
  ].join("\n");
}

function vtyshBase(t: LabTopology): string[] {
  return ["--vty_socket", frrDir(t)];
}

/** Runs vtysh commands on the router (from the host, not over SSH). */
export async function vtysh(t: LabTopology, ...commands: string[]): Promise<string> {
  const args = [...vtyshBase(t), ...commands.flatMap((c) => ["-c", c])];
  return output("vtysh", args, { ns: t.router.ns, timeoutMs: 10_000 });
}

export async function vtyshJson<T>(t: LabTopology, command: string): Promise<T> {
  return JSON.parse(await vtysh(t, command)) as T;
}

/** Applies configuration lines in `configure terminal`. */
export async function vtyshConfigure(t: LabTopology, lines: readonly string[]): Promise<void> {
  await vtysh(t, "configure terminal", ...lines);
}

export const frrConfFile = (t: LabTopology) => path.join(frrDir(t), "frr.conf");

/** Starts zebra, bgpd and bfdd with `conf` as frr.conf (written first), then pushes it with vtysh. */
export async function startFrr(t: LabTopology, conf: string): Promise<void> {
  const dir = frrDir(t);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "vtysh.conf"), "");
  await writeFile(frrConfFile(t), conf);
  // The daemons drop to user frr: their directory must be theirs.
  const frr = await frrIds();
  if (frr) await chown(dir, frr.uid, frr.gid);
  // A restart must not mistake the last run's sockets for the new daemons'.
  await Promise.all(
    [...DAEMONS.map((d) => `${d}.vty`), "zserv.api", "bfdd.sock"].map((f) =>
      rm(path.join(dir, f), { force: true }),
    ),
  );
  const zserv = path.join(dir, "zserv.api");
  for (const daemon of DAEMONS) {
    const args = ["-d", "-P", "0", "--vty_socket", dir, "-z", zserv, "-f", "/dev/null"];
    args.push("-i", path.join(dir, `${daemon}.pid`), "--log", `file:${path.join(dir, `${daemon}.log`)}`);
    if (daemon === "bfdd") args.push("--bfdctl", path.join(dir, "bfdd.sock"));
    await run(path.join(FRR_LIB, daemon), args, { ns: t.router.ns });
    if (daemon === "zebra")
      await waitFor("zebra's socket", async () => (existsSync(zserv) ? true : undefined));
  }
  await waitFor(
    "FRR's vty sockets",
    async () => (DAEMONS.every((d) => existsSync(path.join(dir, `${d}.vty`))) ? true : undefined),
    { timeoutMs: 10_000, intervalMs: 50 },
  );
  await run("vtysh", [...vtyshBase(t), "--config_dir", dir, "-f", frrConfFile(t)], {
    ns: t.router.ns,
  });
}

/** Stops FRR's daemons (bgpd first: it tells its peers with a Cease). */
export async function stopFrr(t: LabTopology): Promise<void> {
  for (const file of [...frrPidFiles(t)].reverse()) await stopByPidFile(file);
}

async function frrIds(): Promise<{ uid: number; gid: number } | undefined> {
  const r = await run("id", ["frr"], { allowFail: true });
  const uid = /uid=(\d+)/.exec(r.stdout)?.[1];
  const gid = /gid=(\d+)/.exec(r.stdout)?.[1];
  return uid && gid ? { uid: Number(uid), gid: Number(gid) } : undefined;
}

/** Switches timers and BFD on the router's side; sessions are reset so the new hold time is negotiated. */
export async function applyFrrBgpMode(t: LabTopology, mode: BgpMode): Promise<void> {
  const lines = [`router bgp ${t.router.asn}`];
  lines.push(mode === "fast" ? " neighbor NODES timers 1 3" : " no neighbor NODES timers 1 3");
  lines.push(mode === "bfd" ? ` neighbor NODES bfd profile ${BFD_PROFILE}` : " no neighbor NODES bfd");
  await vtyshConfigure(t, lines);
  await writeFile(frrConfFile(t), renderFrrConf(t, mode));
  const before = await connectionCounts(t);
  await vtysh(t, "clear bgp ipv6 unicast *");
  await waitForSessionsBack(t, before);
}

/**
 * Waits for every session to have come back (a new connection, counted from `before`), not for the old state still
 * on show; a restarted bgpd counts from zero, so `before` is then empty and any Established session will do.
 */
export async function waitForSessionsBack(
  t: LabTopology,
  before: PeerCounts,
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(
    "BGP sessions to re-establish",
    async () => {
      const now = await connectionCounts(t);
      const back = Object.entries(before).every(([peer, n]) => (now[peer]?.established ?? 0) > n.established);
      const all = t.nodes.every((n) => now[n.address]?.state === "Established");
      return back && all ? true : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

export type PeerCounts = Record<string, { established: number; state: string }>;

export async function connectionCounts(t: LabTopology): Promise<PeerCounts> {
  type Summary = {
    ipv6Unicast?: { peers?: Record<string, { connectionsEstablished: number; state: string }> };
  };
  const peers = (await vtyshJson<Summary>(t, "show bgp summary json")).ipv6Unicast?.peers ?? {};
  return Object.fromEntries(
    Object.entries(peers).map(([k, p]) => [k, { established: p.connectionsEstablished, state: p.state }]),
  );
}
