// Node-side commands as an operator types them over SSH: systemctl (k3s only), k3s, calicoctl.

import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { alive, readPid } from "../netns.js";
import { formatNodeStatus, queryBirdProtocols } from "./calico-status.js";
import { rotateCertificates, runningPid, startK3s, stopK3s } from "./k3s-service.js";
import { K3S_VERSION, loadStandinConfig, type StandinConfig, standinPidFile } from "./node-config.js";

/** k3s.service's RestartSec. */
const RESTART_SEC_MS = 5_000;

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

const systemctl: Command = async (c, args) => {
  const [verb, unit] = args.filter((a, i) => !a.startsWith("-") && args[i - 1] !== "-s");
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
      `systemctl: unknown or unsupported verb "${verb ?? ""}" (start, stop, restart, kill, is-active, status)`,
    );
    return 1;
  }
  return action();
};

const k3s: Command = async (c, args) => {
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

const commands: Record<string, Command> = { systemctl, k3s, calicoctl };

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
