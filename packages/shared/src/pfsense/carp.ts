// `ifconfig -a` on pfSense (FreeBSD): each interface's CARP state — `carp: MASTER|BACKUP|INIT vhid N advbase N
// advskew N` (sbin/ifconfig/carp.c). pfSense's FRR package runs FRR on the CARP master only, so a backup without FRR
// is a standby router, not a failing one.
import { guarded, type Parsed, parseFailed } from "../frr/parsed.js";

export const CARP_STATUS_ID = "pfsense-ifconfig";

export interface CarpVhid {
  interface: string;
  state: "MASTER" | "BACKUP" | "INIT";
  vhid: number;
  advbase: number;
  advskew: number;
}

export interface CarpStatus {
  vhids: CarpVhid[];
  /** Some vhid is BACKUP and none is MASTER: this firewall is the standby of a CARP pair. */
  standby: boolean;
}

export function parseCarpStatus(stdout: string): Parsed<CarpStatus> {
  const id = CARP_STATUS_ID;
  return guarded(id, stdout, () => {
    const vhids: CarpVhid[] = [];
    let iface: string | undefined;
    let interfaces = 0;
    for (const line of stdout.split("\n")) {
      const head = /^([A-Za-z][\w.]*): flags=/.exec(line);
      if (head) {
        iface = head[1];
        interfaces++;
        continue;
      }
      const carp = /^\s+carp: (MASTER|BACKUP|INIT) vhid (\d+) advbase (\d+) advskew (\d+)/.exec(line);
      if (carp && iface)
        vhids.push({
          interface: iface,
          state: carp[1] as CarpVhid["state"],
          vhid: Number(carp[2]),
          advbase: Number(carp[3]),
          advskew: Number(carp[4]),
        });
    }
    if (interfaces === 0) return parseFailed(id, "no `<interface>: flags=` line", stdout);
    const standby = vhids.some((v) => v.state === "BACKUP") && !vhids.some((v) => v.state === "MASTER");
    return { ok: true, value: { vhids, standby } };
  });
}
