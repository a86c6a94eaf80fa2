// The command registry: argv per platform and sudo, validated parameters, no way to smuggle text into a command.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import {
  K3S_CONFIG_SHOW_SCRIPT,
  K3S_DROPIN_REMOVE_SCRIPT,
  K3S_DROPIN_WRITE_SCRIPT,
} from "../setup/k3s-config.js";
import { routerCommandIds } from "./ids.js";
import { CALICO_BGP_SCRIPT, DROP_SCRIPT } from "./node-actions.js";
import { buildCommand, commands, shellQuote } from "./registry.js";

const pfsense = { kind: "router", platform: "pfsense-frr", sudo: false } as const;
const pfsenseSudo = { kind: "router", platform: "pfsense-frr", sudo: true } as const;
const linux = { kind: "router", platform: "linux-frr", sudo: false } as const;
const node = { kind: "node", sudo: true } as const;

const line = (r: ReturnType<typeof buildCommand>) => (r.ok ? r.command.line : `error: ${r.message}`);

describe("command registry", () => {
  it("builds vtysh commands for pfSense (/usr/local/bin/vtysh, sudo -n when the plan says so) and Linux FRR", () => {
    expect(line(buildCommand("frr-show-bgp-summary", {}, pfsense))).toBe(
      "/usr/local/bin/vtysh -c 'show bgp summary json'",
    );
    expect(line(buildCommand("frr-show-bgp-summary", {}, pfsenseSudo))).toBe(
      "sudo -n /usr/local/bin/vtysh -c 'show bgp summary json'",
    );
    expect(line(buildCommand("frr-show-bfd-peers", {}, linux))).toBe("vtysh -c 'show bfd peers json'");
    const r = buildCommand("frr-show-bgp-summary", {}, pfsenseSudo);
    expect(r.ok && r.command.argv).toEqual([
      "sudo",
      "-n",
      "/usr/local/bin/vtysh",
      "-c",
      "show bgp summary json",
    ]);
  });

  it("asks the router only for a range when given one, canonicalising the CIDR first", () => {
    expect(line(buildCommand("frr-show-bgp-ipv6-unicast", { range: "2001:DB8:0:0::/64" }, linux))).toBe(
      "vtysh -c 'show bgp ipv6 unicast 2001:db8::/64 longer-prefixes json'",
    );
    expect(line(buildCommand("frr-show-bgp-ipv6-unicast", {}, linux))).toBe(
      "vtysh -c 'show bgp ipv6 unicast json'",
    );
    expect(line(buildCommand("frr-show-ipv6-route", { range: "2001:db8::/112" }, linux))).toBe(
      "vtysh -c 'show ipv6 route 2001:db8::/112 longer-prefixes json'",
    );
    expect(
      line(buildCommand("frr-show-bgp-ipv6-unicast-prefix", { prefix: "2001:db8::1/128" }, pfsense)),
    ).toBe("/usr/local/bin/vtysh -c 'show bgp ipv6 unicast 2001:db8::1/128 json'");
  });

  it("refuses parameters that are not what the command takes, naming the parameter", () => {
    const bad = [
      buildCommand("frr-show-bgp-ipv6-unicast", { range: "2001:db8::/64 json; reload" }, linux),
      buildCommand("frr-show-bgp-ipv6-unicast", { range: "10.0.0.0/8" }, linux),
      buildCommand("frr-show-bgp-ipv6-unicast-prefix", { prefix: "'$(reboot)'" }, linux),
      // Unknown parameters are refused at run time too, not passed through (e.g. from an untyped caller).
      buildCommand("frr-show-bgp-summary", JSON.parse('{"extra":"x"}'), linux),
    ];
    expect(bad.map((r) => (r.ok ? "built" : r.message))).toEqual([
      'frr-show-bgp-ipv6-unicast: range: not an IPv6 CIDR: "2001:db8::/64 json; reload"',
      'frr-show-bgp-ipv6-unicast: range: not an IPv6 CIDR: "10.0.0.0/8"',
      `frr-show-bgp-ipv6-unicast-prefix: prefix: not an IPv6 CIDR: "'$(reboot)'"`,
      expect.stringMatching(/^frr-show-bgp-summary: parameters: /),
    ]);
  });

  it("runs node commands on nodes only, with sudo -n (calicoctl needs root), and router commands on the router", () => {
    expect(line(buildCommand("calicoctl-node-status", {}, node))).toBe("sudo -n calicoctl node status");
    expect(line(buildCommand("calicoctl-node-status", {}, linux))).toMatch(/runs on the node, not a router/);
    expect(line(buildCommand("frr-show-bgp-summary", {}, node))).toMatch(/runs on the router, not a node/);
  });

  it("reads pfSense's CARP state without sudo (the sudo rule allows vtysh only), and on pfSense only", () => {
    expect(line(buildCommand("pfsense-ifconfig", {}, pfsenseSudo))).toBe("ifconfig -a");
    expect(line(buildCommand("pfsense-ifconfig", {}, linux))).toMatch(/runs on pfsense-frr routers only/);
  });

  it("has an entry, a parser and bounds for every command id (fixture names follow the ids)", () => {
    for (const id of routerCommandIds) expect(commands[id].runsOn).toBe("router");
    for (const c of Object.values(commands)) {
      expect(c.maxOutputBytes).toBeGreaterThan(0);
      expect(c.timeoutMs).toBeGreaterThan(0);
      // A command that reads parses data (empty output is no answer); one that changes the host keeps its text.
      expect(c.parse("").ok).toBe("changes" in c);
    }
  });

  it("builds the failover actions from validated parameters only", () => {
    expect(line(buildCommand("systemctl-k3s", { verb: "stop" }, node))).toBe("sudo -n systemctl stop k3s");
    expect(line(buildCommand("systemctl-k3s", { verb: "disable" } as never, node))).toMatch(/verb/);
    expect(line(buildCommand("k3s-kill", {}, { ...node, sudo: false }))).toBe(
      "systemctl kill --kill-whom=main --signal=SIGKILL k3s",
    );
    const drop = buildCommand("node-drop-traffic", { seconds: 2 }, { ...node, sudo: false });
    expect(drop.ok && drop.command.argv.slice(0, 2)).toEqual(["sh", "-c"]);
    expect(drop.ok && drop.command.argv.slice(3)).toEqual(["k3s-ha-fault", "2"]);
    for (const seconds of [0, 601, 1.5, "2; reboot"])
      expect(line(buildCommand("node-drop-traffic", { seconds } as never, node))).toMatch(
        /^error: node-drop-traffic: seconds: /,
      );
  });

  it("builds BIRD's kill, Calico's BGP through runit and the reboot from fixed argv", () => {
    const plain = { ...node, sudo: false };
    expect(line(buildCommand("bird-kill", {}, plain))).toBe("pkill -KILL -x bird6");
    expect(line(buildCommand("node-reboot", {}, node))).toBe("sudo -n systemctl reboot");
    const bgp = buildCommand("calico-bgp", { verb: "down" }, plain);
    expect(bgp.ok && bgp.command.argv.slice(3)).toEqual(["k3s-ha-bgp", "down"]);
    expect(line(buildCommand("calico-bgp", { verb: "restart" } as never, plain))).toMatch(
      /^error: calico-bgp: verb: /,
    );
    execFileSync("sh", ["-n", "-c", CALICO_BGP_SCRIPT]);
    expect(CALICO_BGP_SCRIPT).toContain('k3s crictl exec "$id" sv "$1" bird6');
  });

  it("writes a drop script that a POSIX shell parses, that removes itself and starts the drop after the removal", () => {
    const script = DROP_SCRIPT;
    execFileSync("sh", ["-n", "-c", script]);
    const heal = script.indexOf("nft delete table inet k3s_ha_fault");
    const drop = script.indexOf('nft -f "$1"');
    expect(heal).toBeGreaterThan(0);
    expect(drop).toBeGreaterThan(heal);
    expect(script).toContain('iifname != "lo" drop');
    expect(script).not.toMatch(/\$\{?seconds/);
  });

  it("configures a Linux FRR's timers and multipath in one saved vtysh session, never pfSense's", () => {
    const params = {
      asn: 65101,
      neighbors: ["2001:DB8::11", "2001:db8::12"],
      keepaliveS: 3,
      holdS: 9,
      maximumPaths: 3,
    };
    const built = buildCommand("frr-configure-bgp", params, linux);
    expect(built.ok && built.command.argv).toEqual([
      "vtysh",
      "-c",
      "configure terminal",
      "-c",
      "router bgp 65101",
      "-c",
      "neighbor 2001:db8::11 timers 3 9",
      "-c",
      "neighbor 2001:db8::12 timers 3 9",
      "-c",
      "address-family ipv6 unicast",
      "-c",
      "maximum-paths 3",
      "-c",
      "exit-address-family",
      "-c",
      "end",
      "-c",
      "write memory",
    ]);
    expect(line(buildCommand("frr-configure-bgp", params, pfsenseSudo))).toMatch(
      /runs on linux-frr routers only/,
    );
    for (const bad of [
      { neighbors: ["node01; reboot"] },
      { holdS: 2 },
      { maximumPaths: 0 },
      { neighbors: [] },
    ])
      expect(line(buildCommand("frr-configure-bgp", { ...params, ...bad } as never, linux))).toMatch(
        /^error: frr-configure-bgp: /,
      );
    expect(line(buildCommand("frr-clear-bgp-neighbor", { address: "2001:DB8:0::11" }, linux))).toBe(
      "vtysh -c 'clear bgp ipv6 unicast 2001:db8::11'",
    );
    expect(line(buildCommand("frr-clear-bgp-neighbor", { address: "*" }, linux))).toMatch(
      /not an IPv6 address/,
    );
  });

  it("reads and writes k3s's configuration with scripts a POSIX shell parses", () => {
    for (const script of [K3S_CONFIG_SHOW_SCRIPT, K3S_DROPIN_WRITE_SCRIPT, K3S_DROPIN_REMOVE_SCRIPT])
      execFileSync("sh", ["-n", "-c", script]);
    expect(line(buildCommand("k3s-config-show", {}, node))).toMatch(/^sudo -n sh -c /);
  });

  it("quotes for a POSIX shell so the remote side sees each argument as it was", () => {
    expect(shellQuote("show bgp summary json")).toBe("'show bgp summary json'");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("/usr/local/bin/vtysh")).toBe("/usr/local/bin/vtysh");
  });
});
