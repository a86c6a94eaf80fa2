// pfSense's FRR package, imitated: its saved settings (config.xml's installedpackages, kept as JSON), the frr.conf
// it generates from them (`frr defaults traditional`, "DO NOT EDIT"), and the regeneration that drops vtysh edits.
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type { BgpMode, LabTopology } from "../topology.js";
import { BFD_PROFILE, frrDir } from "./frr.js";

/** Where the package's settings live (on pfSense: config.xml, `installedpackages/frr*`). */
export const packageSettingsFile = (t: LabTopology) =>
  path.join(t.router.dir, "pfsense", "installedpackages.json");

const asn = z.number().int().min(1).max(4_294_967_295);
const seconds = z.number().int().min(0).max(65_535);

/** The GUI's fields, named as in config.xml (frr_bgp.xml, frr_bgp_neighbors.xml, frr_bfd*.xml); checkboxes are booleans. */
export const packageSettingsSchema = z.strictObject({
  frr: z.strictObject({ enable: z.boolean(), routerid: z.ipv4() }),
  frrbgp: z.strictObject({
    enable: z.boolean(),
    asnum: asn,
    adjacencylog: z.boolean().default(false),
    nodefipv4unicast: z.boolean().default(false),
    routerid: z.ipv4().optional(),
    timers_keepalive: seconds.optional(),
    timers_holdtime: seconds.optional(),
  }),
  frrbgpadvanced: z.strictObject({
    /** "Disable eBGP Require Policy": without it, eBGP peers exchange nothing (RFC 8212, peerState Policy). */
    disableebgprequirepolicy: z.boolean().default(false),
    networkimportcheck: z.boolean().default(false),
  }),
  frrbgpneighbors: z.array(
    z.strictObject({
      peer: z.ipv6(),
      asnum: asn,
      descr: z.string().max(80).default(""),
      timers_keepalive: seconds.optional(),
      timers_holdtime: seconds.optional(),
      ebgpmultihop: z.number().int().min(1).max(255).optional(),
      bfdenable: z.boolean().default(false),
    }),
  ),
  frrbfd: z.strictObject({ enable: z.boolean() }).default({ enable: false }),
  frrbfdprofiles: z
    .array(
      z.strictObject({
        name: z.string().regex(/^[\w-]+$/),
        detectmultiplier: z.number().int().min(2).max(255),
        receiveinterval: z.number().int().min(10).max(60_000),
        transmitinterval: z.number().int().min(10).max(60_000),
        minimumttl: z.number().int().min(1).max(254).optional(),
      }),
    )
    .default([]),
  frrbfdpeers: z
    .array(
      z.strictObject({
        peer: z.ipv6(),
        multihop: z.boolean().default(false),
        local_address: z.ipv6().optional(),
        profile: z.string().optional(),
      }),
    )
    .default([]),
});
export type PackageSettings = z.infer<typeof packageSettingsSchema>;

/**
 * What an operator saves in the GUI for this lab: BGP on, the "Disable eBGP Require Policy" box ticked (else no
 * routes at all), one neighbor per node, and per BGP mode the neighbor timers (fast: 1/3) or BFD (a profile of
 * 100 ms x 3 and a multihop BFD peer per node, as BIRD's BFD is multihop with TTL 64). Global timers stay empty:
 * FRR's traditional 60/180 apply.
 */
export function defaultPackageSettings(t: LabTopology, mode: BgpMode): PackageSettings {
  const bfd = mode === "bfd";
  return packageSettingsSchema.parse({
    frr: { enable: true, routerid: t.router.routerId },
    frrbgp: { enable: true, asnum: t.router.asn, adjacencylog: true, nodefipv4unicast: true },
    frrbgpadvanced: { disableebgprequirepolicy: true },
    frrbgpneighbors: t.nodes.map((n) => ({
      peer: n.address,
      asnum: t.clusterAsn,
      descr: n.name,
      ...(mode === "fast" ? { timers_keepalive: 1, timers_holdtime: 3 } : {}),
      ...(bfd ? { ebgpmultihop: 2, bfdenable: true } : {}),
    })),
    frrbfd: { enable: bfd },
    frrbfdprofiles: bfd
      ? [
          {
            name: BFD_PROFILE,
            detectmultiplier: 3,
            receiveinterval: 100,
            transmitinterval: 100,
            minimumttl: 1,
          },
        ]
      : [],
    frrbfdpeers: bfd
      ? t.nodes.map((n) => ({
          peer: n.address,
          multihop: true,
          local_address: t.router.address,
          profile: BFD_PROFILE,
        }))
      : [],
  });
}

/** The BGP-mode fields of the GUI (neighbor timers, BFD) taken from the mode's defaults; the rest left as saved. */
export function withBgpMode(t: LabTopology, saved: PackageSettings, mode: BgpMode): PackageSettings {
  const wanted = defaultPackageSettings(t, mode);
  const byPeer = new Map(wanted.frrbgpneighbors.map((n) => [n.peer, n]));
  return {
    ...saved,
    frrbgpneighbors: saved.frrbgpneighbors.map((n) => {
      const { timers_keepalive, timers_holdtime, ebgpmultihop, ...rest } = n;
      const w = byPeer.get(n.peer);
      return {
        ...rest,
        bfdenable: w?.bfdenable ?? false,
        ...(w?.timers_keepalive !== undefined ? { timers_keepalive: w.timers_keepalive } : {}),
        ...(w?.timers_holdtime !== undefined ? { timers_holdtime: w.timers_holdtime } : {}),
        ...(w?.ebgpmultihop !== undefined ? { ebgpmultihop: w.ebgpmultihop } : {}),
      };
    }),
    frrbfd: wanted.frrbfd,
    frrbfdprofiles: wanted.frrbfdprofiles,
    frrbfdpeers: wanted.frrbfdpeers,
  };
}

export async function writePackageSettings(t: LabTopology, settings: PackageSettings): Promise<void> {
  const file = packageSettingsFile(t);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(packageSettingsSchema.parse(settings), null, 2)}\n`);
}

export async function readPackageSettings(t: LabTopology): Promise<PackageSettings | undefined> {
  const file = packageSettingsFile(t);
  if (!existsSync(file)) return undefined;
  const parsed = packageSettingsSchema.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

const WARNING = [
  "##################### DO NOT EDIT THIS FILE! ######################",
  "###################################################################",
  "# This file was created by an automatic configuration generator.  #",
  "# The contents of this file will be overwritten without warning!  #",
  "###################################################################",
  "!",
];

function bfdLines(s: PackageSettings): string[] {
  if (!s.frrbfd.enable) return [];
  const profiles = s.frrbfdprofiles.flatMap((p) => [
    ` profile ${p.name}`,
    `  detect-multiplier ${p.detectmultiplier}`,
    `  receive-interval ${p.receiveinterval}`,
    `  transmit-interval ${p.transmitinterval}`,
    "  no shutdown",
    ...(p.minimumttl !== undefined ? [`  minimum-ttl ${p.minimumttl}`] : []),
    " !",
  ]);
  const peers = s.frrbfdpeers.flatMap((p) => [
    ` peer ${p.peer}${p.multihop ? " multihop" : ""}${p.local_address ? ` local-address ${p.local_address}` : ""}`,
    p.profile ? `  profile ${p.profile}` : "  no shutdown",
    " !",
  ]);
  return ["bfd", ...profiles, ...peers, "!"];
}

function neighborLines(s: PackageSettings): string[] {
  return s.frrbgpneighbors.flatMap((n) => {
    const lines = [` neighbor ${n.peer} remote-as ${n.asnum}`];
    if (n.descr) lines.push(` neighbor ${n.peer} description ${n.descr}`);
    if (n.timers_keepalive !== undefined)
      lines.push(
        ` neighbor ${n.peer} timers ${n.timers_keepalive}${n.timers_holdtime !== undefined ? ` ${n.timers_holdtime}` : ""}`,
      );
    if (n.bfdenable) lines.push(` neighbor ${n.peer} bfd`);
    if (n.ebgpmultihop !== undefined) lines.push(` neighbor ${n.peer} ebgp-multihop ${n.ebgpmultihop}`);
    return lines;
  });
}

/**
 * frr.conf as the package writes it (frr.inc, frr_bgp.inc, frr_bfd.inc): the warning, `frr defaults traditional`,
 * BFD, then `router bgp` with the router options, the advanced options, the neighbors and the address family with
 * each IPv6 neighbor activated. The GUI writes no `maximum-paths` (FRR's default, the build's multipath limit,
 * applies). Logging goes to the lab's file rather than syslog.
 */
export function renderPackageFrrConf(t: LabTopology, s: PackageSettings): string {
  const bgp = s.frrbgp;
  const routerId = bgp.routerid ?? s.frr.routerid;
  const router =
    s.frr.enable && bgp.enable
      ? [
          `router bgp ${bgp.asnum}`,
          ...(bgp.adjacencylog ? [" bgp log-neighbor-changes"] : []),
          ...(bgp.nodefipv4unicast ? [" no bgp default ipv4-unicast"] : []),
          ` bgp router-id ${routerId}`,
          ...(bgp.timers_keepalive !== undefined && bgp.timers_holdtime !== undefined
            ? [` timers bgp ${bgp.timers_keepalive} ${bgp.timers_holdtime}`]
            : []),
          s.frrbgpadvanced.networkimportcheck ? " bgp network import-check" : " no bgp network import-check",
          ...(s.frrbgpadvanced.disableebgprequirepolicy ? [" no bgp ebgp-requires-policy"] : []),
          ...neighborLines(s),
          " !",
          " address-family ipv6 unicast",
          ...s.frrbgpneighbors.map((n) => `  neighbor ${n.peer} activate`),
          " exit-address-family",
          " !",
          "!",
        ]
      : [];
  return [
    ...WARNING,
    "frr defaults traditional",
    "hostname router",
    `log file ${path.join(frrDir(t), "frr.log")} informational`,
    "!",
    ...(s.frr.enable ? bfdLines(s) : []),
    ...router,
    "",
  ].join("\n");
}
