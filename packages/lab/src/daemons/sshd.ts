// OpenSSH per machine: key-only root login, a pinned host key, and the lab's wrappers first on the PATH.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { run, waitFor } from "../exec.js";
import type { LabTopology, MachineSpec } from "../topology.js";

export const sshDir = (t: LabTopology) => path.join(t.stateDir, "ssh");
export const clientKeyFile = (t: LabTopology) => path.join(sshDir(t), "id_ed25519");
export const knownHostsFile = (t: LabTopology) => path.join(sshDir(t), "known_hosts");
const authorizedKeysFile = (t: LabTopology) => path.join(sshDir(t), "authorized_keys");
const hostKeyFile = (m: MachineSpec) => path.join(m.dir, "ssh", "ssh_host_ed25519_key");
export const sshdPidFile = (m: MachineSpec) => path.join(m.dir, "ssh", "sshd.pid");
/** The machine's own bin directory (vtysh, systemctl, k3s, calicoctl, birdc wrappers), first on the SSH PATH. */
export const binDir = (m: MachineSpec) => path.join(m.dir, "bin");
export const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

async function keygen(file: string, comment: string): Promise<void> {
  if (existsSync(file)) return;
  await mkdir(path.dirname(file), { recursive: true });
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file]);
}

/** The public host key line ("ssh-ed25519 AAAA…") to pin in the plan and known_hosts. */
export async function hostKey(m: MachineSpec): Promise<string> {
  const pub = await readFile(`${hostKeyFile(m)}.pub`, "utf8");
  const [type, key] = pub.trim().split(/\s+/);
  return `${type} ${key}`;
}

/** The client key pair and every machine's host key, authorized_keys and known_hosts. */
export async function makeSshKeys(t: LabTopology, machines: readonly MachineSpec[]): Promise<void> {
  await keygen(clientKeyFile(t), `k3s-ha-lab-${t.name}`);
  await Promise.all(machines.map((m) => keygen(hostKeyFile(m), `${m.name}.${t.name}`)));
  await writeFile(authorizedKeysFile(t), await readFile(`${clientKeyFile(t)}.pub`, "utf8"));
  const lines = await Promise.all(machines.map(async (m) => `${m.address} ${await hostKey(m)}`));
  await writeFile(knownHostsFile(t), `${lines.join("\n")}\n`);
}

export interface SshdOptions {
  /** The sessions' PATH (default: the machine's bin/ first, then the system's). */
  path?: string;
  /** Bind mounts (source → target) in a private mount namespace that only this sshd and its sessions see. */
  mounts?: readonly (readonly [string, string])[];
}

function renderSshdConf(t: LabTopology, m: MachineSpec, sessionPath: string): string {
  return `# sshd for ${m.name} in the k3s-ha lab ${t.name}
ListenAddress [${m.address}]:22
HostKey ${hostKeyFile(m)}
PidFile ${sshdPidFile(m)}
AuthorizedKeysFile ${authorizedKeysFile(t)}
StrictModes no
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthenticationMethods publickey
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PrintMotd no
UseDNS no
MaxStartups 50:30:100
SetEnv PATH=${sessionPath}
Subsystem sftp internal-sftp
`;
}

/** `unshare` argv that bind-mounts `mounts` in a new private mount namespace, then execs `cmd`. */
export function inMountNamespace(
  mounts: readonly (readonly [string, string])[],
  cmd: string,
  args: readonly string[],
): [string, string[]] {
  const script = [
    "set -e",
    ...mounts.map(([src, dst]) => `mount --bind '${src}' '${dst}'`),
    'exec "$@"',
  ].join("; ");
  return ["unshare", ["--mount", "--propagation", "private", "--", "sh", "-c", script, "sh", cmd, ...args]];
}

export async function startSshd(t: LabTopology, m: MachineSpec, options: SshdOptions = {}): Promise<void> {
  const conf = path.join(m.dir, "ssh", "sshd_config");
  await writeFile(conf, renderSshdConf(t, m, options.path ?? `${binDir(m)}:${SYSTEM_PATH}`));
  const [cmd, args] = options.mounts?.length
    ? inMountNamespace(options.mounts, "/usr/sbin/sshd", ["-f", conf])
    : ["/usr/sbin/sshd", ["-f", conf]];
  await run(cmd, args, { ns: m.ns });
  await waitFor(`sshd on ${m.name}`, async () => (existsSync(sshdPidFile(m)) ? true : undefined), {
    timeoutMs: 5_000,
    intervalMs: 20,
  });
}
