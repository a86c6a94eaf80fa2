// The k3s "service" on a lab node: start/stop the stand-in process, and `k3s certificate rotate`.
import { spawn } from "node:child_process";
import { existsSync, openSync, readFileSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { fileURLToPath } from "node:url";
import { sleep } from "../exec.js";
import { type StandinConfig, standinLogFile, standinPidFile, standinReadyFile } from "./node-config.js";

const SERVER_SCRIPT = fileURLToPath(new URL("./server.ts", import.meta.url));

export function runningPid(c: StandinConfig): number | undefined {
  const file = standinPidFile(c);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** A TCP connect within 500 ms. */
export function portOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host, port, timeout: 500 });
    s.on("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.on("error", () => resolve(false));
    s.on("timeout", () => {
      s.destroy();
      resolve(false);
    });
  });
}

export async function startK3s(c: StandinConfig): Promise<void> {
  if (runningPid(c)) return;
  // The serving certificate is the server's business (dynamic-cert.ts): the configured names join it on each start.
  await mkdir(c.dataDir, { recursive: true });
  await rm(standinReadyFile(c), { force: true });
  const log = openSync(standinLogFile(c), "a");
  const child = spawn(c.nodeBin, ["--import", c.tsxLoader, SERVER_SCRIPT], {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env },
  });
  if (!child.pid) throw new Error("could not start the k3s stand-in");
  await writeFile(standinPidFile(c), `${child.pid}\n`);
  child.unref();
  // k3s is Type=notify: `systemctl start` returns once the apiserver is ready (6443 answers 503 before that).
  // Loading the API's TypeScript takes a few seconds when three nodes start at once on two busy cores.
  const deadline = Date.now() + 20_000;
  for (let i = 0; i < 400 && Date.now() < deadline; i++) {
    if (existsSync(standinReadyFile(c)) && (await portOpen(c.address, 6443))) return;
    if (child.exitCode !== null) break;
    await sleep(50);
  }
  const tail = (await readFile(standinLogFile(c), "utf8").catch(() => ""))
    .trim()
    .split("\n")
    .slice(-5)
    .join("\n");
  const how = child.exitCode !== null ? `exited with ${child.exitCode}` : "was not ready within 20 s";
  throw new Error(`k3s ${how} on [${c.address}]:6443 (${standinLogFile(c)}):\n${tail}`);
}

export async function stopK3s(c: StandinConfig): Promise<void> {
  const pid = runningPid(c);
  if (pid) {
    process.kill(pid, "SIGTERM");
    for (let i = 0; i < 50 && runningPid(c); i++) await sleep(50);
    if (runningPid(c)) process.kill(pid, "SIGKILL");
  }
  await rm(standinPidFile(c), { force: true });
  await rm(standinReadyFile(c), { force: true });
}

/**
 * `k3s certificate rotate`: backs up the certificates and writes the regenerate trigger, whether k3s runs or not;
 * the next start issues the serving certificate anew with the names it already has (a new key, no name removed).
 */
export async function rotateCertificates(c: StandinConfig, out: (line: string) => void): Promise<number> {
  out('level=info msg="Server detected, rotating server certificates"');
  // Loaded here only: it pulls in the lab's Kubernetes client, which cost every other node command (calicoctl,
  // systemctl — polled every 5 s per node) ~0.7 s of CPU to load.
  const { rotateServingCert } = await import("./dynamic-cert.js");
  const backup = await rotateServingCert(c);
  out(
    `level=info msg="Successfully backed up certificates to ${backup}, please restart k3s server or agent to rotate certificates"`,
  );
  return 0;
}
