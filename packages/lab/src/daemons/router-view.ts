// The pfSense-style router's own files, seen only by its sshd (a private mount namespace): passwd/group/shadow with an
// `admin` user, a sudoers with one rule (admin may run /usr/local/bin/vtysh), and /usr/local/bin with vtysh.
import { readFileSync } from "node:fs";
import { chmod, chown, mkdir, readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { LabTopology } from "../topology.js";
import { frrDir } from "./frr.js";

export const ADMIN_USER = "admin";
/** pfSense's FRR package installs vtysh here; the console's registry runs it by this path. */
export const PFSENSE_VTYSH = "/usr/local/bin/vtysh";

export const routerViewDir = (t: LabTopology) => path.join(t.router.dir, "view");
const viewFile = (t: LabTopology, name: string) => path.join(routerViewDir(t), name);
export const adminHome = (t: LabTopology) => path.join(routerViewDir(t), "home", ADMIN_USER);
/** The router's CARP state (MASTER or BACKUP), which its `ifconfig` prints (lab fault carp-backup|carp-master). */
export const carpStateFile = (t: LabTopology) => viewFile(t, "carp-state");

/** FreeBSD's `ifconfig -a` for the router's LAN with its CARP vhid (sbin/ifconfig/carp.c's line), read at each run. */
export function renderIfconfig(t: LabTopology): string {
  return `#!/bin/sh
# ifconfig as pfSense (FreeBSD) prints it for the lab router's LAN, with the CARP state in ${carpStateFile(t)}
state=$(cat '${carpStateFile(t)}' 2>/dev/null || echo MASTER)
skew=0; [ "$state" = BACKUP ] && skew=100
printf 'vtnet0: flags=1008843<UP,BROADCAST,RUNNING,SIMPLEX,MULTICAST,LOWER_UP> metric 0 mtu 1500\n'
printf '\tdescription: LAN\n'
printf '\tinet6 ${t.router.address} prefixlen 64 vhid 1\n'
printf '\tcarp: %s vhid 1 advbase 1 advskew %s\n' "$state" "$skew"
printf '\t      peer 224.0.0.18 peer6 ff02::12\n'
printf '\tstatus: active\n'
printf 'lo0: flags=1008049<UP,LOOPBACK,RUNNING,MULTICAST,LOWER_UP> metric 0 mtu 16384\n'
printf '\tinet6 ::1 prefixlen 128\n'
`;
}

/** The first uid (and gid) from 1000 that neither the host's passwd nor its group uses. */
export function freeId(passwd: string, group: string): number {
  const used = new Set(
    [passwd, group].flatMap((text) =>
      text
        .split("\n")
        .map((l) => Number(l.split(":")[2]))
        .filter(Number.isInteger),
    ),
  );
  let id = 1000;
  while (used.has(id)) id++;
  return id;
}

/** The sudo package's rule for a least-privilege user: vtysh only, no password (Netgate: "Sudo Package"). */
export function renderSudoers(t: LabTopology): string {
  return `# sudoers of the k3s-ha lab ${t.name}'s pfSense-style router (pfSense's sudo package: /usr/local/etc/sudoers)
Defaults env_reset
Defaults secure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
Defaults !lecture
Defaults timestampdir=${viewFile(t, "sudo-ts")}
root ALL=(ALL:ALL) ALL
${ADMIN_USER} ALL=(root) NOPASSWD: ${PFSENSE_VTYSH}
`;
}

/**
 * Writes the view: copies of the host's passwd, group and shadow with `admin` added (no password: `*`, so key-only;
 * not in frrvty, so vtysh without sudo cannot reach FRR's sockets), the sudoers, and a bin directory whose vtysh points
 * at this router's FRR. The host's own files are only read.
 */
export async function writeRouterView(t: LabTopology): Promise<void> {
  const dir = routerViewDir(t);
  await mkdir(path.join(dir, "bin"), { recursive: true, mode: 0o755 });
  await mkdir(adminHome(t), { recursive: true, mode: 0o755 });
  await mkdir(viewFile(t, "sudo-ts"), { recursive: true, mode: 0o700 });
  const passwd = readFileSync("/etc/passwd", "utf8");
  const group = readFileSync("/etc/group", "utf8");
  const id = freeId(passwd, group);
  const line = (text: string) => (text.endsWith("\n") || text === "" ? text : `${text}\n`);
  await writeFile(
    viewFile(t, "passwd"),
    `${line(passwd)}${ADMIN_USER}:x:${id}:${id}:pfSense admin (k3s-ha lab):${adminHome(t)}:/bin/sh\n`,
  );
  await writeFile(viewFile(t, "group"), `${line(group)}${ADMIN_USER}:x:${id}:\n`);
  const shadow = await stat("/etc/shadow");
  await writeFile(
    viewFile(t, "shadow"),
    `${line(await readFile("/etc/shadow", "utf8"))}${ADMIN_USER}:*:20000:0:99999:7:::\n`,
    { mode: 0o640 },
  );
  await chown(viewFile(t, "shadow"), 0, shadow.gid);
  await writeFile(viewFile(t, "sudoers"), renderSudoers(t));
  // sudo refuses a sudoers file that is not root's and read-only.
  await chmod(viewFile(t, "sudoers"), 0o440);
  await chown(adminHome(t), id, id);
  const vtysh = path.join(dir, "bin", "vtysh");
  await writeFile(
    vtysh,
    `#!/bin/sh\n# vtysh as pfSense's FRR package installs it, pointed at this router's FRR\nexec /usr/bin/vtysh --vty_socket ${frrDir(t)} --config_dir ${frrDir(t)} "$@"\n`,
  );
  await chmod(vtysh, 0o755);
  const ifconfig = path.join(dir, "bin", "ifconfig");
  await writeFile(ifconfig, renderIfconfig(t));
  await chmod(ifconfig, 0o755);
  await writeFile(carpStateFile(t), "MASTER\n");
}

/** Source → target of each bind mount in the router sshd's mount namespace. */
export function routerViewMounts(t: LabTopology): [string, string][] {
  return [
    ...["passwd", "group", "shadow", "sudoers"].map((f): [string, string] => [viewFile(t, f), `/etc/${f}`]),
    [path.join(routerViewDir(t), "bin"), path.dirname(PFSENSE_VTYSH)],
  ];
}
