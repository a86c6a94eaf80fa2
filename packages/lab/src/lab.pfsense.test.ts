// A lab with the pfSense-style router (root): admin over SSH with the lab key, sudo for /usr/local/bin/vtysh only,
// frr.conf generated from the package's settings with `frr defaults traditional`, and vtysh edits lost on regeneration.
import { existsSync, readFileSync } from "node:fs";
import { buildCommand } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { frrConfFile, vtysh, vtyshJson } from "./daemons/frr.js";
import { packageSettingsFile, readPackageSettings } from "./daemons/pfsense-frr.js";
import { adminHome, PFSENSE_VTYSH } from "./daemons/router-view.js";
import { labDown, labStatusOf, labUp } from "./lab.js";
import { listNamespaces } from "./netns.js";
import { regenerateRouter } from "./router.js";
import { fibNextHops } from "./routes.js";
import { sshExec } from "./ssh.js";
import type { LabStatus } from "./state.js";
import { readPlan, sshTarget, uniqueLabName } from "./testing.js";
import { labTopology } from "./topology.js";

const name = uniqueLabName("pfs");
const t = labTopology(name);
const hostPasswd = readFileSync("/etc/passwd", "utf8");
let status: LabStatus;

type Summary = { ipv6Unicast?: { peers?: Record<string, { state: string; desc?: string }> } };
type Neighbors = Record<string, { bgpTimerConfiguredHoldTimeMsecs?: number; bgpTimerHoldTimeMsecs?: number }>;

const router = () => sshTarget(readPlan(status.plan), "router");
const admin = (command: string) => sshExec(router(), command);

beforeAll(async () => {
  status = await labUp(name, { router: "pfsense" });
}, 120_000);

afterAll(async () => {
  await labDown(name);
  expect((await listNamespaces()).filter((ns) => ns.startsWith(`k3sl-${name}-`))).toEqual([]);
  expect(existsSync(t.stateDir)).toBe(false);
}, 60_000);

describe(`lab with a pfSense router (${name})`, () => {
  it("writes a plan with platform pfsense-frr, user admin and sudo, and names the router kind in its status", async () => {
    const plan = readPlan(status.plan);
    expect(plan.bgp.router).toMatchObject({ platform: "pfsense-frr", ssh: { user: "admin", sudo: true } });
    expect(plan.nodes.every((n) => n.ssh.user === "root" && !n.ssh.sudo)).toBe(true);
    expect((await labStatusOf(name)).models.router).toBe("pfsense");
    // A lab's router kind is fixed for its life.
    await expect(labUp(name, { router: "linux-frr" })).rejects.toThrow(/router kind is fixed/);
  });

  it("lets admin in with the lab key only, and leaves the host's passwd and /usr/local/bin alone", async () => {
    const who = await admin("id -un; id -Gn; echo $PATH; command -v vtysh");
    expect(who.code).toBe(0);
    const [user, groups, path, vtyshPath] = who.stdout.trim().split("\n");
    expect(user).toBe("admin");
    expect(groups?.split(" ")).not.toContain("frrvty");
    expect(path?.split(":")).toContain("/usr/local/bin");
    expect(vtyshPath).toBe(PFSENSE_VTYSH);
    // No password to try: `*` in the router's shadow; the sshd takes public keys only.
    const sshd = readFileSync(`${t.router.dir}/ssh/sshd_config`, "utf8");
    expect(sshd).toMatch(/^PasswordAuthentication no$/m);
    expect(sshd).toMatch(/^AuthenticationMethods publickey$/m);
    expect(readFileSync(`${t.router.dir}/view/shadow`, "utf8")).toMatch(/^admin:\*:/m);
    expect(readFileSync("/etc/passwd", "utf8")).toBe(hostPasswd);
    expect(hostPasswd).not.toContain(adminHome(t));
    expect(existsSync(PFSENSE_VTYSH) && readFileSync(PFSENSE_VTYSH, "utf8").includes(t.router.dir)).toBe(
      false,
    );
  });

  it("runs the console's own command line, sudo -n /usr/local/bin/vtysh: every node Established", async () => {
    const plan = readPlan(status.plan);
    const built = buildCommand(
      "frr-show-bgp-summary",
      {},
      { kind: "router", platform: plan.bgp.router.platform, sudo: plan.bgp.router.ssh.sudo ?? false },
    );
    if (!built.ok) throw new Error(built.message);
    expect(built.command.line).toBe("sudo -n /usr/local/bin/vtysh -c 'show bgp summary json'");
    const r = await admin(built.command.line);
    expect(r.code, r.stderr).toBe(0);
    const peers = (JSON.parse(r.stdout) as Summary).ipv6Unicast?.peers ?? {};
    expect(Object.fromEntries(Object.entries(peers).map(([a, p]) => [a, p.state]))).toEqual(
      Object.fromEntries(t.nodes.map((n) => [n.address, "Established"])),
    );
    // Routes are exchanged (the GUI's "Disable eBGP Require Policy" is ticked): the service range over all three.
    expect(await fibNextHops(t, t.serviceCidr)).toBe(3);
  });

  it("refuses sudo for any other binary, and vtysh without sudo cannot reach FRR's sockets", async () => {
    for (const other of ["sudo -n /bin/sh -c id", "sudo -n /usr/bin/vtysh -c 'show version'", "sudo -n id"]) {
      const r = await admin(other);
      expect(r.code, other).not.toBe(0);
      expect(r.stderr, other).toContain("sudo: a password is required");
      expect(r.stdout, other).toBe("");
    }
    const direct = await admin("vtysh -c 'show bgp summary json'");
    expect(direct.code).toBe(1);
    expect(direct.stdout).toBe("");
    expect(direct.stderr).toContain("Exiting: failed to connect to any daemons.");
  });

  it("generates frr.conf from the package's settings with frr defaults traditional: 60/180 timers in force", async () => {
    const conf = readFileSync(frrConfFile(t), "utf8");
    expect(conf.split("\n").slice(0, 7)).toEqual([
      "##################### DO NOT EDIT THIS FILE! ######################",
      "###################################################################",
      "# This file was created by an automatic configuration generator.  #",
      "# The contents of this file will be overwritten without warning!  #",
      "###################################################################",
      "!",
      "frr defaults traditional",
    ]);
    expect(conf).toContain(" no bgp ebgp-requires-policy\n");
    expect(conf).not.toContain("maximum-paths");
    expect((await readPackageSettings(t))?.frrbgpadvanced.disableebgprequirepolicy).toBe(true);
    const running = await admin(`sudo -n ${PFSENSE_VTYSH} -c 'show running-config'`);
    expect(running.stdout).toMatch(/^frr defaults traditional$/m);
    const neighbors = await vtyshJson<Neighbors>(t, "show bgp neighbors json");
    for (const n of t.nodes) expect(neighbors[n.address]?.bgpTimerHoldTimeMsecs).toBe(180_000);
    expect(existsSync(packageSettingsFile(t))).toBe(true);
  });

  it("loses a timer typed into vtysh on the next regeneration", async () => {
    const node = t.nodes[0]?.address ?? "";
    const typed = await admin(
      `sudo -n ${PFSENSE_VTYSH} -c 'configure terminal' -c 'router bgp ${t.router.asn}' -c 'neighbor ${node} timers 7 21'`,
    );
    expect(typed.code, typed.stderr).toBe(0);
    const live = await vtyshJson<Neighbors>(t, `show bgp neighbors ${node} json`);
    expect(live[node]?.bgpTimerConfiguredHoldTimeMsecs).toBe(21_000);
    expect(await vtysh(t, "show running-config")).toContain(`neighbor ${node} timers 7 21`);
    await regenerateRouter(t);
    const after = await vtyshJson<Neighbors>(t, `show bgp neighbors ${node} json`);
    expect(after[node]?.bgpTimerConfiguredHoldTimeMsecs).toBe(180_000);
    expect(await vtysh(t, "show running-config")).not.toContain("timers 7 21");
    const summary = await vtyshJson<Summary>(t, "show bgp summary json");
    expect(Object.values(summary.ipv6Unicast?.peers ?? {}).map((p) => p.state)).toEqual([
      "Established",
      "Established",
      "Established",
    ]);
  });
});
