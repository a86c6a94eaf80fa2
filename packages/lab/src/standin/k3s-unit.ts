// k3s.service as the k3s install script writes it: its ExecStart arguments (a per-node file the lab writes, default
// `server`), the unit `systemctl cat` prints, the ExecStart property `systemctl show` prints, and the configuration
// k3s starts with once its command line is added (a flag replaces the config files' value of the same key).
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { runningPid } from "./k3s-service.js";
import { K3S_CONFIG_FILE, mergedK3sConfig, type StandinConfig, standinPidFile } from "./node-config.js";

export const K3S_BIN = "/usr/local/bin/k3s";
export const K3S_UNIT_FILE = "/etc/systemd/system/k3s.service";

/** The unit's arguments after the binary, one a line (in the node's lab directory, beside standin.json). */
export const unitArgsFile = (c: Pick<StandinConfig, "dataDir">) =>
  path.join(path.dirname(c.dataDir), "k3s.service.args");

export const renderUnitArgs = (args: readonly string[]) => `${args.join("\n")}\n`;

export function readUnitArgs(c: Pick<StandinConfig, "dataDir">): string[] {
  const file = unitArgsFile(c);
  const args = existsSync(file)
    ? readFileSync(file, "utf8")
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
    : [];
  return args.length ? args : ["server"];
}

/** install.sh quote(): the argument in single quotes, a quote inside it as '\''. */
const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;

/** install.sh create_systemd_service_file, ExecStart being `k3s \` then CMD_K3S_EXEC (quote_indent's lines). */
export function renderK3sUnit(args: readonly string[]): string {
  const [command = "server", ...flags] = args;
  const exec = [`    ${command} \\`, ...flags.map((f) => `\t${quote(f)} \\`)].join("\n");
  return `[Unit]
Description=Lightweight Kubernetes
Documentation=https://k3s.io
Wants=network-online.target
After=network-online.target

[Install]
WantedBy=multi-user.target

[Service]
Type=notify
EnvironmentFile=-/etc/default/%N
EnvironmentFile=-/etc/sysconfig/%N
EnvironmentFile=-${K3S_UNIT_FILE}.env
KillMode=process
Delegate=yes
User=root
# Having non-zero Limit*s causes performance problems due to accounting overhead
# in the kernel. We recommend using cgroups to do container-local accounting.
LimitNOFILE=1048576
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
TimeoutStartSec=0
Restart=always
RestartSec=5s
ExecStartPre=-/sbin/modprobe br_netfilter
ExecStartPre=-/sbin/modprobe overlay
ExecStart=${K3S_BIN} \\
${exec}

`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** systemd's format_timestamp: `Tue 2025-09-30 10:00:00 UTC`, in the local time zone. */
export function systemdTimestamp(at: Date): string {
  const day = at.toLocaleDateString("en-US", { weekday: "short" });
  const zone =
    new Intl.DateTimeFormat("en-US", { timeZoneName: "short" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value ?? "UTC";
  const date = `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
  return `${day} ${date} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())} ${zone}`;
}

/**
 * `systemctl show k3s -p ExecStart`'s value (systemctl's exec-command print: argv joined by spaces, unquoted).
 * The lab keeps no record of past runs: a stopped k3s shows as never started (systemd would keep the last run's).
 */
export function execStartValue(args: readonly string[], run?: { pid: number; startedAt: Date }): string {
  const process = run
    ? `start_time=[${systemdTimestamp(run.startedAt)}] ; stop_time=[n/a] ; pid=${run.pid}`
    : "start_time=[n/a] ; stop_time=[n/a] ; pid=0";
  return `{ path=${K3S_BIN} ; argv[]=${[K3S_BIN, ...args].join(" ")} ; ignore_errors=no ; ${process} ; code=(null) ; status=0/0 }`;
}

/** Server flags that take a value, so `--flag value` is read as the command line parser reads it. */
const VALUE_FLAGS = new Set([
  "config",
  "c",
  "tls-san",
  "disable",
  "node-ip",
  "node-external-ip",
  "node-name",
  "node-label",
  "node-taint",
  "cluster-cidr",
  "service-cidr",
  "cluster-dns",
  "flannel-backend",
  "kube-apiserver-arg",
  "kube-controller-manager-arg",
  "kubelet-arg",
  "token",
  "t",
  "server",
  "s",
  "data-dir",
  "d",
  "write-kubeconfig-mode",
  "advertise-address",
  "bind-address",
  "https-listen-port",
]);

/** The command line's flags by name (`--a=b`, `--a b` for value flags, `--flag` alone as "true"). */
export function commandLineFlags(flags: readonly string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < flags.length; i++) {
    const arg = flags[i] ?? "";
    if (!arg.startsWith("-")) continue;
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    let name = eq >= 0 ? body.slice(0, eq) : body;
    let value = eq >= 0 ? body.slice(eq + 1) : "true";
    if (eq < 0 && VALUE_FLAGS.has(name) && i + 1 < flags.length) value = flags[++i] ?? "";
    if (name === "c") name = "config";
    out.set(name, [...(out.get(name) ?? []), value]);
  }
  return out;
}

/**
 * The configuration k3s starts with: `files`, the merged config files (the one K3S_CONFIG_FILE or --config names,
 * with its .d directory), and `effective`, those with the command line on top: a key given on the command line
 * replaces the files' value, lists included ("for repeatable arguments such as --node-label, the CLI arguments will
 * overwrite all values in the list", docs.k3s.io/installation/configuration). Throws K3sConfigError as k3s fails.
 */
export function k3sStartConfig(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): { files: Record<string, unknown>; effective: Record<string, unknown> } {
  const flags = commandLineFlags(args.slice(1));
  const file = env.K3S_CONFIG_FILE || flags.get("config")?.at(-1) || K3S_CONFIG_FILE;
  const files = mergedK3sConfig(file);
  const effective: Record<string, unknown> = { ...files };
  for (const [name, values] of flags) if (name !== "config") effective[name] = values;
  return { files, effective };
}

const SECRET_FLAGS = new Set([
  "--token",
  "-t",
  "--agent-token",
  "--datastore-endpoint",
  "--etcd-s3-access-key",
  "--etcd-s3-secret-key",
  "--vpn-auth",
  "--vpn-auth-file",
]);

/**
 * The Node's `k3s.io/node-args` annotation (pkg/nodeconfig getNodeArgs): the command, the config files' flags as
 * configfilearg inserts them after it, then the command line; `--a=b` split in two, secret values starred.
 */
export function nodeArgs(args: readonly string[], files: Record<string, unknown>): string[] {
  const [command = "server", ...flags] = args;
  const fromFiles = Object.entries(files).flatMap(([k, v]) => {
    const prefix = k.length === 1 ? "-" : "--";
    const text = (x: unknown) => (x === null || x === undefined ? "" : String(x));
    return (Array.isArray(v) ? v : [v]).map((x) => `${prefix}${k}=${text(x)}`);
  });
  const list = [command, ...fromFiles, ...flags].flatMap((a) => {
    const eq = a.indexOf("=");
    return a.startsWith("--") && eq >= 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a];
  });
  return list.map((a, i) => (i > 0 && SECRET_FLAGS.has(list[i - 1] ?? "") ? "********" : a));
}

/** `-p A,B`, `-pA`, `--property=A`, `-P A` (which also means --value): the properties `systemctl show` prints. */
function shownProperties(args: string[]): { names: string[]; valueOnly: boolean } {
  const names: string[] = [];
  let valueOnly = args.includes("--value");
  args.forEach((a, i) => {
    const next = args[i + 1] ?? "";
    if (a === "-p" || a === "--property" || a === "-P") names.push(...next.split(","));
    else if (a.startsWith("--property=")) names.push(...a.slice("--property=".length).split(","));
    else if (/^-[pP]./.test(a)) names.push(...a.slice(2).split(","));
    if (a.startsWith("-P")) valueOnly = true;
  });
  return { names: names.filter(Boolean), valueOnly };
}

/** `systemctl show k3s [-p …] [--value]`: the lines it prints, of the properties the lab models (all without -p). */
export function showUnit(c: StandinConfig, args: string[]): string[] {
  const pid = runningPid(c);
  const unitArgs = readUnitArgs(c);
  const startedAt = pid ? statSync(standinPidFile(c)).mtime : undefined;
  const props: Record<string, () => string> = {
    Type: () => "notify",
    Restart: () => "always",
    MainPID: () => String(pid ?? 0),
    ExecStart: () => execStartValue(unitArgs, pid && startedAt ? { pid, startedAt } : undefined),
    Id: () => "k3s.service",
    Description: () => "Lightweight Kubernetes",
    LoadState: () => "loaded",
    ActiveState: () => (pid ? "active" : "inactive"),
    SubState: () => (pid ? "running" : "dead"),
    FragmentPath: () => K3S_UNIT_FILE,
    UnitFileState: () => "enabled",
  };
  const { names, valueOnly } = shownProperties(args);
  // Unknown properties print nothing, as systemctl does.
  return (names.length ? names : Object.keys(props)).flatMap((name) => {
    const value = props[name]?.();
    if (value === undefined) return [];
    return [valueOnly ? value : `${name}=${value}`];
  });
}
