// Host prerequisites: root, the Debian packages of the lab's daemons (apt-get when missing), a few host paths.
import { existsSync } from "node:fs";
import { mkdir, readFile, rm, rmdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { run } from "./exec.js";
import { LAB_ROOT } from "./topology.js";

/** Debian package → a file it installs that the lab runs. */
export const LAB_PACKAGES: Record<string, string> = {
  frr: "/usr/lib/frr/bgpd",
  bird2: "/usr/sbin/bird",
  bind9: "/usr/sbin/named",
  "bind9-utils": "/usr/bin/nsupdate",
  dnsutils: "/usr/bin/dig",
  "openssh-server": "/usr/sbin/sshd",
  nftables: "/usr/sbin/nft",
  iproute2: "/usr/sbin/ip",
  openssl: "/usr/bin/openssl",
  // The pfSense-style router (`--router pfsense`): admin runs vtysh through a sudo rule, as with pfSense's sudo package.
  sudo: "/usr/bin/sudo",
};

export class NotRootError extends Error {
  constructor(command: string) {
    super(
      `k3s-ha lab ${command} needs root: it creates network namespaces, virtual links and a host route, and runs ` +
        "FRR, BIRD, BIND and sshd inside them.\n" +
        `Run it as root, e.g.: sudo env "PATH=$PATH" pnpm -s k3s-ha lab ${command}`,
    );
  }
}

export function requireRoot(command: string): void {
  if (typeof process.getuid === "function" && process.getuid() !== 0) throw new NotRootError(command);
}

export function missingPackages(): string[] {
  return Object.entries(LAB_PACKAGES)
    .filter(([, file]) => !existsSync(file))
    .map(([pkg]) => pkg);
}

/** Installs missing packages with apt-get (and says so); the services they ship are never started by the lab. */
export async function ensurePackages(say: (line: string) => void): Promise<void> {
  const missing = missingPackages();
  if (missing.length === 0) return;
  say(`installing Debian packages the lab needs: ${missing.join(" ")} (apt-get, about 30 s)`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  await run("apt-get", ["update", "-qq"], { env, timeoutMs: 300_000 });
  await run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], {
    env,
    timeoutMs: 600_000,
  });
  const still = missingPackages();
  if (still.length) throw new Error(`apt-get did not provide: ${still.join(" ")}`);
}

/**
 * Host directories the daemons need but a minimal host may lack (/run/sshd for sshd's privilege separation,
 * /etc/rancher as the mount point for each node's /etc/netns/<ns>/rancher, /etc/netns itself). The ones the lab creates are recorded
 * and removed again when the last lab goes down.
 */
const HOST_DIRS = ["/run/sshd", "/etc/rancher", "/etc/netns"];
const createdFile = path.join(LAB_ROOT, ".created-host-dirs");

export async function ensureHostDirs(): Promise<void> {
  await mkdir(LAB_ROOT, { recursive: true });
  const created = existsSync(createdFile)
    ? (await readFile(createdFile, "utf8")).split("\n").filter(Boolean)
    : [];
  for (const dir of HOST_DIRS) {
    if (existsSync(dir)) continue;
    await mkdir(dir, { mode: 0o755 });
    created.push(dir);
  }
  await writeFile(createdFile, `${[...new Set(created)].join("\n")}\n`);
}

/** Called when no lab is left: removes the host directories the lab created (only if empty) and its root. */
export async function removeHostDirs(): Promise<void> {
  if (existsSync(createdFile)) {
    for (const dir of (await readFile(createdFile, "utf8")).split("\n").filter(Boolean)) {
      await rmdir(dir).catch(() => {});
    }
  }
  await rm(createdFile, { force: true });
  await rmdir(LAB_ROOT).catch(() => {});
}
