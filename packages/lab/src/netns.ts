// Network namespace, process and sysctl helpers (ip netns, ip netns pids, pid files, bounded stops).
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { output, run, sleep } from "./exec.js";

export async function listNamespaces(): Promise<string[]> {
  const text = await output("ip", ["netns", "list"]);
  return text
    .split("\n")
    .map((l) => l.trim().split(/\s+/)[0] ?? "")
    .filter(Boolean);
}

/** Creates a namespace (once) and sets its sysctls in one process. */
export async function addNamespace(ns: string, sysctls: Record<string, string | number>): Promise<void> {
  if (!(await listNamespaces()).includes(ns)) await run("ip", ["netns", "add", ns]);
  const pairs = Object.entries(sysctls).map(([k, v]) => `${k}=${v}`);
  if (pairs.length) await run("sysctl", ["-qw", ...pairs], { ns });
}

export async function namespacePids(ns: string): Promise<number[]> {
  const r = await run("ip", ["netns", "pids", ns], { allowFail: true });
  return r.stdout
    .split(/\s+/)
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A process's state letter from /proc (Z = zombie, reaped late by PID 1 in some sandboxes). */
function isZombie(pid: number): boolean {
  try {
    return /\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** The pid a pid file names; undefined when there is none (the daemon may remove it while we read). */
export function readPid(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const pid = Number(text.trim().split(/\s+/)[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/** SIGTERM, wait up to `graceMs`, then SIGKILL; returns once all are gone or zombies (bounded). */
export async function stopPids(pids: readonly number[], graceMs = 1_500): Promise<void> {
  const live = pids.filter(alive);
  if (live.length === 0) return;
  const running = () => live.some((p) => alive(p) && !isZombie(p));
  for (const pid of live) signal(pid, "SIGTERM");
  await pollWhile(running, graceMs);
  for (const pid of live) if (alive(pid) && !isZombie(pid)) signal(pid, "SIGKILL");
  await pollWhile(running, 1_000);
}

/** Sleeps in 20 ms steps while `condition` holds, for at most `ms`. */
async function pollWhile(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (let i = 0; i < Math.ceil(ms / 20) && Date.now() < deadline && condition(); i++) await sleep(20);
}

/** Stops the process named in a pid file (if it still runs) and removes the file. */
export async function stopByPidFile(file: string, graceMs?: number): Promise<void> {
  const pid = readPid(file);
  if (pid) await stopPids([pid], graceMs);
  await rm(file, { force: true });
}

/** Kills whatever still runs in the namespace, then deletes it. */
export async function deleteNamespace(ns: string): Promise<void> {
  if (!(await listNamespaces()).includes(ns)) return;
  await stopPids(await namespacePids(ns), 500);
  await run("ip", ["netns", "delete", ns], { allowFail: true });
}

export async function linkExists(name: string, ns?: string): Promise<boolean> {
  const args = ns ? ["-n", ns, "link", "show", "dev", name] : ["link", "show", "dev", name];
  return (await run("ip", args, { allowFail: true })).code === 0;
}
