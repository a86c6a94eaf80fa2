// Node-side commands as an operator types them over SSH: systemctl (k3s only), k3s, calicoctl.

import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { alive, readPid } from "../netns.js";
import { formatNodeStatus, queryBirdProtocols } from "./calico-status.js";
import { rotateCertificates, runningPid, startK3s, stopK3s } from "./k3s-service.js";
import { K3S_UNIT_FILE, readUnitArgs, renderK3sUnit, showUnit } from "./k3s-unit.js";
import { K3S_VERSION, loadStandinConfig, type StandinConfig, standinPidFile } from "./node-config.js";

/** k3s.service's RestartSec. */
const RESTART_SEC_MS = 5_000;
/** How long a lab node takes to reboot: its link is down this long. */
const REBOOT_MS = 15_000;

function pidAlive(pidFile: string): boolean {
  const pid = readPid(pidFile);
  return pid !== undefined && alive(pid);
}

type Command = (c: StandinConfig, args: string[]) => Promise<number>;
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

/** `systemctl kill [--kill-whom=main] [--signal=SIG|-s SIG] k3s` → the signal to send. */
function killSignal(args: string[]): NodeJS.Signals | undefined {
  const i = args.findIndex((a) => a === "-s" || a === "--signal");
  const named = args.find((a) => a.startsWith("--signal="))?.slice("--signal=".length) ?? args[i + 1];
  const sig = (named ?? "SIGTERM").toUpperCase();
  const full = (sig.startsWith("SIG") ? sig : `SIG${sig}`) as NodeJS.Signals;
  return ["SIGKILL", "SIGTERM", "SIGINT", "SIGHUP"].includes(full) ? full : undefined;
}

/**
 * k3s.service has Restart=always and RestartSec=5s: a killed k3s comes back five seconds later unless something
 * stopped or started it meanwhile (which removes the pending restart, as systemd's job queue would).
 */
function scheduleRestart(c: StandinConfig, pid: number): void {
  writeFileSync(restartPendingFile(c), `${pid}\n`);
  const script = process.argv[1] ?? "";
  const child = spawn(
    process.execPath,
    [...process.execArgv, script, "systemctl", "__restart-after-kill", String(pid)],
    {
      detached: true,
      stdio: "ignore",
      env: process.env,
    },
  );
  child.unref();
}

const restartPendingFile = (c: StandinConfig) => `${standinPidFile(c)}.restart-pending`;
const cancelRestart = (c: StandinConfig) => rmSync(restartPendingFile(c), { force: true });

/**
 * A reboot as the network sees it: k3s stopped (systemd's SIGTERM), BIRD stopped gracefully (its sessions closed with
 * a Cease), the link down for REBOOT_MS, then the link up, BIRD and k3s started again.
 */
async function reboot(c: StandinConfig): Promise<number> {
  await new Promise((r) => setTimeout(r, 300));
  cancelRestart(c);
  await stopK3s(c);
  writeFileSync(c.birdDownFile, "down\n");
  if (birdPid(c)) spawnSync("birdc", ["-s", c.birdSocket, "down"], { timeout: 5_000, stdio: "ignore" });
  const link = (state: "up" | "down") =>
    spawnSync("ip", ["-n", c.routerNs, "link", "set", c.bridgePort, state], {
      timeout: 5_000,
      stdio: "ignore",
    });
  link("down");
  try {
    await new Promise((r) => setTimeout(r, REBOOT_MS));
  } finally {
    link("up");
    rmSync(c.birdDownFile, { force: true });
  }
  await until(() => birdPid(c) !== undefined, 15_000);
  await startK3s(c);
  return 0;
}

/** Options of systemctl that take the next argument as their value. */
const VALUE_OPTIONS = new Set(["-s", "--signal", "-p", "--property", "-P", "--kill-whom"]);

const systemctl: Command = async (c, args) => {
  const [verb, unit] = args.filter((a, i) => !a.startsWith("-") && !VALUE_OPTIONS.has(args[i - 1] ?? ""));
  if (verb === "daemon-reload") return 0;
  if (verb === "__reboot") return reboot(c);
  if (verb === "reboot") {
    // As systemd: the command returns, then the machine goes down (a detached process plays the reboot).
    const script = process.argv[1] ?? "";
    spawn(process.execPath, [...process.execArgv, script, "systemctl", "__reboot"], {
      detached: true,
      stdio: "ignore",
      env: process.env,
    }).unref();
    return 0;
  }
  if (verb === "__restart-after-kill") {
    await new Promise((r) => setTimeout(r, RESTART_SEC_MS));
    const pending = existsSync(restartPendingFile(c))
      ? readFileSync(restartPendingFile(c), "utf8").trim()
      : "";
    if (pending !== unit) return 0;
    cancelRestart(c);
    await startK3s(c);
    return 0;
  }
  const name = unit?.replace(/\.service$/, "");
  if (name !== "k3s") {
    err(
      `Unit ${unit ?? ""}${unit?.endsWith(".service") ? "" : ".service"} could not be found (this lab node has only k3s).`,
    );
    return 5;
  }
  const actions: Record<string, () => Promise<number>> = {
    start: async () => {
      cancelRestart(c);
      await startK3s(c);
      return 0;
    },
    stop: async () => {
      cancelRestart(c);
      await stopK3s(c);
      return 0;
    },
    restart: async () => {
      cancelRestart(c);
      await stopK3s(c);
      await startK3s(c);
      return 0;
    },
    kill: async () => {
      const signal = killSignal(args);
      if (!signal) {
        err("systemctl kill: the lab stand-in sends SIGKILL, SIGTERM, SIGINT or SIGHUP only");
        return 1;
      }
      const pid = runningPid(c);
      if (!pid) return 0;
      process.kill(pid, signal);
      scheduleRestart(c, pid);
      return 0;
    },
    "is-active": async () => {
      const active = runningPid(c) !== undefined;
      out(active ? "active" : "inactive");
      return active ? 0 : 3;
    },
    cat: async () => {
      out(`# ${K3S_UNIT_FILE}`);
      process.stdout.write(renderK3sUnit(readUnitArgs(c)));
      return 0;
    },
    show: async () => {
      for (const line of showUnit(c, args)) out(line);
      return 0;
    },
    status: async () => {
      const pid = runningPid(c);
      out(`● k3s.service - Lightweight Kubernetes (lab stand-in on ${c.node})`);
      out(`     Active: ${pid ? `active (running)\n   Main PID: ${pid} (k3s-server)` : "inactive (dead)"}`);
      return pid ? 0 : 3;
    },
  };
  const action = verb ? actions[verb] : undefined;
  if (!action) {
    err(
      `systemctl: unknown or unsupported verb "${verb ?? ""}" (start, stop, restart, kill, is-active, status, cat, show, daemon-reload)`,
    );
    return 1;
  }
  return action();
};

/** BIRD's pid if it runs. */
function birdPid(c: StandinConfig): number | undefined {
  const pid = readPid(c.birdPidFile);
  return pid !== undefined && alive(pid) ? pid : undefined;
}

async function until(what: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

const CONTAINER_ID = (c: StandinConfig) => `lab-calico-node-${c.node}`;

/**
 * `k3s crictl ps --name calico-node --state running -q` and `k3s crictl exec <id> sv down|up bird6`: runit inside
 * calico-node. `sv down` stops restarting BIRD and stops it (SIGTERM: BIRD closes its sessions with a Cease, the
 * router withdraws at once); `sv up` lets the supervisor start it again.
 */
async function crictl(c: StandinConfig, args: string[]): Promise<number> {
  if (args[0] === "ps") {
    const name = args[args.indexOf("--name") + 1];
    if (name === "calico-node" && pidAlive(c.calicoPidFile)) out(CONTAINER_ID(c));
    return 0;
  }
  if (args[0] === "exec" && args[1] === CONTAINER_ID(c) && args[2] === "sv" && args[4] === "bird6") {
    if (args[3] === "down") {
      writeFileSync(c.birdDownFile, "down\n");
      // runit's SIGTERM: BIRD's orderly shutdown (as `birdc down`), its sessions closed with a Cease.
      if (birdPid(c)) spawnSync("birdc", ["-s", c.birdSocket, "down"], { timeout: 5_000, stdio: "ignore" });
      if (!(await until(() => birdPid(c) === undefined, 5_000))) {
        err("bird6 did not stop within 5 s");
        return 1;
      }
      out("ok: down: bird6");
      return 0;
    }
    if (args[3] === "up") {
      rmSync(c.birdDownFile, { force: true });
      if (!(await until(() => birdPid(c) !== undefined, 10_000))) {
        err("bird6 did not start within 10 s");
        return 1;
      }
      out("ok: run: bird6");
      return 0;
    }
  }
  err(
    `crictl: "${args.join(" ")}" is not supported by the lab stand-in (ps --name calico-node, exec <id> sv down|up bird6)`,
  );
  return 1;
}

/** `pkill -KILL -x bird6`: this node's BIRD only (calico-node's runit starts it again at once, with -R). */
const pkill: Command = async (c, args) => {
  const names = args.filter((a) => !a.startsWith("-"));
  const signal = (args.find((a) => /^-[A-Z0-9]+$/.test(a) && a !== "-x")?.slice(1) ?? "TERM").toUpperCase();
  if (names.length !== 1 || names[0] !== "bird6" || !args.includes("-x")) {
    err(
      `pkill: the lab stand-in signals this node's bird6 only (pkill -KILL -x bird6), not "${args.join(" ")}"`,
    );
    return 2;
  }
  const pid = birdPid(c);
  if (!pid) return 1;
  process.kill(pid, (signal.startsWith("SIG") ? signal : `SIG${signal}`) as NodeJS.Signals);
  return 0;
};

const k3s: Command = async (c, args) => {
  if (args[0] === "crictl") return crictl(c, args.slice(1));
  if (args[0] === "--version" || args[0] === "-v" || args[0] === "version") {
    out(`k3s version ${K3S_VERSION} (k3s-ha lab stand-in)`);
    return 0;
  }
  if (args[0] === "certificate" && args[1] === "rotate") return rotateCertificates(c, out);
  err(`k3s: "${args.join(" ")}" is not supported by the lab stand-in (certificate rotate, --version)`);
  return 1;
};

const calicoctl: Command = async (c, args) => {
  if (args[0] !== "node" || args[1] !== "status") {
    err(`calicoctl: "${args.join(" ")}" is not supported by the lab stand-in (node status)`);
    return 1;
  }
  const calicoNode = pidAlive(c.calicoPidFile);
  // The lab runs one BIRD (the IPv6 one); calico-node's IPv4 BIRD has no peers on an IPv6-only node and lives
  // as long as calico-node does.
  const bird6 = await queryBirdProtocols(c.birdSocket).catch(() => undefined);
  const status = formatNodeStatus({ calicoNode, bird4: calicoNode ? [] : undefined, bird6 });
  process.stdout.write(status.stdout);
  process.stderr.write(status.stderr);
  return status.code;
};

const commands: Record<string, Command> = { systemctl, k3s, calicoctl, pkill };

async function main(): Promise<number> {
  const [name = "", ...args] = process.argv.slice(2);
  const command = commands[name];
  if (!command) {
    err(`unknown lab node command "${name}"`);
    return 127;
  }
  return command(loadStandinConfig(), args);
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    err((e as Error).message);
    process.exitCode = 1;
  },
);
