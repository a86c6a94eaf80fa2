// The lab's router by kind (linux-frr, pfsense): its files, FRR config and sshd, BGP mode changes, and the pfSense
// package's regeneration of frr.conf (which drops whatever was typed into vtysh).

import { writeFile } from "node:fs/promises";
import { applyFrrBgpMode, renderFrrConf, startFrr, stopFrr, waitForSessionsBack } from "./daemons/frr.js";
import {
  defaultPackageSettings,
  readPackageSettings,
  renderPackageFrrConf,
  withBgpMode,
  writePackageSettings,
} from "./daemons/pfsense-frr.js";
import { carpStateFile, routerViewMounts, writeRouterView } from "./daemons/router-view.js";
import { SYSTEM_PATH, startSshd } from "./daemons/sshd.js";
import { waitForConverged } from "./routes.js";
import { writeRouterFiles } from "./standin/wrappers.js";
import { readLabInfo } from "./state.js";
import { type BgpMode, DEFAULT_ROUTER, type LabTopology, type RouterKind } from "./topology.js";

/** The router's kind in a lab's record (labs from before kinds existed: linux-frr). */
export async function routerKindOf(t: LabTopology): Promise<RouterKind> {
  return (await readLabInfo(t))?.router ?? DEFAULT_ROUTER;
}

/** The files the router needs before its daemons start. */
export async function prepareRouterFiles(t: LabTopology, kind: RouterKind): Promise<void> {
  await writeRouterFiles(t);
  if (kind === "pfsense") await writeRouterView(t);
}

/** The frr.conf the router starts with: the lab's own, or the package's rendering of its (default) settings. */
async function initialConf(t: LabTopology, kind: RouterKind, bgp: BgpMode): Promise<string> {
  if (kind === "linux-frr") return renderFrrConf(t, bgp);
  const settings = defaultPackageSettings(t, bgp);
  await writePackageSettings(t, settings);
  return renderPackageFrrConf(t, settings);
}

export async function startRouterFrr(t: LabTopology, kind: RouterKind, bgp: BgpMode): Promise<void> {
  await startFrr(t, await initialConf(t, kind, bgp));
}

/** The router's sshd; pfSense's sees its own passwd/sudoers//usr/local/bin and the system PATH only. */
export async function startRouterSshd(t: LabTopology, kind: RouterKind): Promise<void> {
  if (kind === "linux-frr") return startSshd(t, t.router);
  await startSshd(t, t.router, { path: SYSTEM_PATH, mounts: routerViewMounts(t) });
}

/**
 * Switches the router's timers/BFD. linux-frr: typed into vtysh and saved. pfsense: as an operator would, in the
 * package's settings, then saved (regenerated), which restarts FRR.
 */
export async function setRouterBgpMode(t: LabTopology, mode: BgpMode): Promise<void> {
  if ((await routerKindOf(t)) === "linux-frr") return applyFrrBgpMode(t, mode);
  const saved = (await readPackageSettings(t)) ?? defaultPackageSettings(t, mode);
  await writePackageSettings(t, withBgpMode(t, saved, mode));
  await regenerateFrr(t);
}

/**
 * The package's "Save": frr.conf rendered again from the settings file and FRR restarted on it (the package restarts
 * its service), so every change made with vtysh since is gone. Returns once every node's session is back.
 */
export async function regenerateFrr(t: LabTopology): Promise<void> {
  if ((await routerKindOf(t)) !== "pfsense")
    throw new Error(`lab ${t.name}'s router is linux-frr: only a pfsense router regenerates its FRR config`);
  const info = await readLabInfo(t);
  const settings = (await readPackageSettings(t)) ?? defaultPackageSettings(t, info?.bgp ?? "default");
  const conf = renderPackageFrrConf(t, settings);
  await stopFrr(t);
  await startFrr(t, conf);
  await waitForSessionsBack(t, {}, 60_000);
}

/**
 * The pfSense router becomes the backup (or the master) of a CARP pair: its `ifconfig` says so, and as the FRR package
 * does, FRR stops on the backup and starts again on the master. pfsense routers only.
 */
export async function setCarpState(t: LabTopology, state: "MASTER" | "BACKUP"): Promise<void> {
  if ((await routerKindOf(t)) !== "pfsense")
    throw new Error(`lab ${t.name}'s router is linux-frr: only a pfsense router has CARP`);
  await writeFile(carpStateFile(t), `${state}\n`);
  if (state === "BACKUP") await stopFrr(t);
  else await regenerateFrr(t);
}

/** regenerateFrr, then the lab's routes back in the router's FIB (what a drill or test waits for next). */
export async function regenerateRouter(t: LabTopology): Promise<void> {
  await regenerateFrr(t);
  const preset = (await readLabInfo(t))?.preset ?? "before";
  await waitForConverged(t, preset === "vip" ? {} : { prefixes: [t.serviceCidr] });
}

/**
 * pfsense router: what saving every neighbour's Keep Alive and Hold Time in the package's GUI does — the settings
 * written, frr.conf regenerated and FRR restarted, the routes back. The GUI's own bounds: hold 3-65535 s (FRR's),
 * keepalive at least 1 s and at most the hold time.
 */
export async function saveNeighbourTimers(
  t: LabTopology,
  timers: { keepaliveS: number; holdS: number },
): Promise<void> {
  const { keepaliveS, holdS } = timers;
  if (!Number.isInteger(holdS) || holdS < 3 || holdS > 65_535)
    throw new Error(`the hold time must be a whole number of seconds from 3 to 65535, got ${holdS}`);
  if (!Number.isInteger(keepaliveS) || keepaliveS < 1 || keepaliveS > holdS)
    throw new Error(
      `the keepalive must be a whole number of seconds from 1 to the hold time (${holdS}), got ${keepaliveS}`,
    );
  if ((await routerKindOf(t)) !== "pfsense")
    throw new Error("only the pfsense router has the package's settings");
  const saved = await readPackageSettings(t);
  if (!saved) throw new Error("the router has no package settings yet (lab up first)");
  await writePackageSettings(t, {
    ...saved,
    frrbgpneighbors: saved.frrbgpneighbors.map((n) => ({
      ...n,
      timers_keepalive: keepaliveS,
      timers_holdtime: holdS,
    })),
  });
  await regenerateRouter(t);
}
