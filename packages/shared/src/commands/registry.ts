// The command registry: every command the console runs on the router or a node, as data — its id, the argv built
// from validated parameters for the host's platform, a cap on its output, a timeout, and the parser of its stdout.
// Requests never carry command text; a parameter is checked (a CIDR, canonicalised) before any string is built.
import { z } from "zod";
import { parseCalicoNodeStatus } from "../calico/node-status.js";
import { parseBfdPeers } from "../frr/bfd-peers.js";
import { parseBgpNeighbors } from "../frr/bgp-neighbors.js";
import { parseBgpPrefix, parseBgpTable } from "../frr/bgp-routes.js";
import { parseBgpSummary } from "../frr/bgp-summary.js";
import { parseIpv6Routes } from "../frr/ipv6-route.js";
import type { Parsed } from "../frr/parsed.js";
import { parseFrrRunningConfig } from "../frr/running-config.js";
import { parseFrrVersion } from "../frr/version.js";
import { canonicalIp, formatCidr, parseCidr } from "../net/ip.js";
import { parseCarpStatus } from "../pfsense/carp.js";
import type { routerPlatforms } from "../plan/schema.js";
import {
  K3S_CONFIG_SHOW_SCRIPT,
  K3S_DROPIN_REMOVE_SCRIPT,
  K3S_DROPIN_WRITE_SCRIPT,
  parseK3sConfigShow,
  renderAuthenticationConfig,
  renderK3sHaDropIn,
} from "../setup/k3s-config.js";
import type { CommandId } from "./ids.js";
import {
  bgpVerbParams,
  CALICO_BGP_SCRIPT,
  DROP_SCRIPT,
  dropParams,
  k3sVerbParams,
  parseText,
} from "./node-actions.js";

export type RouterPlatform = (typeof routerPlatforms)[number];

/** Where a command runs and how: the router's platform, or a node; `sudo` from the plan's `ssh.sudo`. */
export interface CommandTarget {
  kind: "router" | "node";
  platform?: RouterPlatform;
  sudo: boolean;
}

/** What every registry entry offers without its parameter type: validation and building in one step. */
export interface Validating {
  id: string;
  runsOn: "router" | "node";
  platforms?: readonly RouterPlatform[];
  unprivileged?: boolean;
  changes?: true;
  maxOutputBytes: number;
  timeoutMs: number;
  validate(
    params: unknown,
  ):
    | { ok: true; built: { vtysh: string | readonly string[] } | { argv: string[] } }
    | { ok: false; message: string };
}

export interface CommandSpec<P, T> {
  id: string;
  runsOn: "router" | "node";
  /** Only on these router platforms (default: every one). */
  platforms?: readonly RouterPlatform[];
  /** Runs without `sudo -n` even where the plan says sudo (a sudo rule may allow vtysh only). */
  unprivileged?: boolean;
  /** Changes the host (a failover action): audited by the service that runs it; its stdout is text, not data. */
  changes?: true;
  /** Parameters, validated and normalised before the argv is built. */
  params: z.ZodType<P>;
  /** The vtysh command line (router) or the argv (node), from validated parameters. */
  build(params: P): { vtysh: string | readonly string[] } | { argv: string[] };
  parse(stdout: string): Parsed<T>;
  /** Output beyond this many bytes is cut off and the command fails (a full table may be large, a status not). */
  maxOutputBytes: number;
  timeoutMs: number;
}

/** An IPv6 CIDR in canonical form ("2001:DB8::/64" → "2001:db8::/64"); anything else is refused. */
export const ipv6CidrParam = z.string().transform((v, ctx) => {
  const c = parseCidr(v.trim());
  if (c?.family !== 6) {
    ctx.addIssue({ code: "custom", message: `not an IPv6 CIDR: ${JSON.stringify(v.slice(0, 60))}` });
    return z.NEVER;
  }
  return formatCidr(c);
});

/** A registry entry: the spec, typed, plus validation that never lets unchecked parameters reach `build`. */
function command<P, T>(spec: CommandSpec<P, T>): CommandSpec<P, T> & Validating {
  return {
    ...spec,
    validate(params) {
      const checked = spec.params.safeParse(params);
      if (checked.success) return { ok: true, built: spec.build(checked.data) };
      const issue = checked.error.issues[0];
      return {
        ok: false,
        message: `${spec.id}: ${issue?.path.join(".") || "parameters"}: ${issue?.message ?? "invalid"}`,
      };
    },
  };
}

const none = z.object({}).strict();
/** An IPv6 address in canonical form; anything else is refused. */
export const ipv6AddressParam = z.string().transform((v, ctx) => {
  const ip = canonicalIp(v.trim());
  if (!ip?.includes(":")) {
    ctx.addIssue({ code: "custom", message: `not an IPv6 address: ${JSON.stringify(v.slice(0, 60))}` });
    return z.NEVER;
  }
  return ip;
});
const frrConfigureParams = z
  .object({
    asn: z.number().int().min(1).max(4294967295),
    neighbors: z.array(ipv6AddressParam).min(1).max(64),
    keepaliveS: z.number().int().min(1).max(21845),
    holdS: z.number().int().min(3).max(65535),
    maximumPaths: z.number().int().min(1).max(64),
  })
  .strict();
/** A tls-san entry: an IP address (canonical) or a DNS name (a leading `*.` allowed), nothing a shell or YAML reads. */
const sanParam = z.string().transform((v, ctx) => {
  const t = v.trim();
  const ip = canonicalIp(t);
  if (ip) return ip;
  if (
    /^(\*\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(t) &&
    t.length <= 253
  )
    return t.toLowerCase();
  ctx.addIssue({
    code: "custom",
    message: `not an IP address or DNS name: ${JSON.stringify(v.slice(0, 60))}`,
  });
  return z.NEVER;
});
const dropInParams = z.object({ tlsSan: z.array(sanParam).max(64), authConfig: z.boolean() }).strict();
const range = z.object({ range: ipv6CidrParam.optional() }).strict();
const prefix = z.object({ prefix: ipv6CidrParam }).strict();

const KB = 1024;
const MB = 1024 * KB;

/** The vtysh binary per router platform (pfSense's package installs it under /usr/local). */
export const VTYSH: Record<RouterPlatform, string> = {
  "pfsense-frr": "/usr/local/bin/vtysh",
  "linux-frr": "vtysh",
};

export const commands = {
  "frr-show-version": command({
    id: "frr-show-version",
    runsOn: "router",
    params: none,
    build: () => ({ vtysh: "show version" }),
    parse: parseFrrVersion,
    maxOutputBytes: 16 * KB,
    timeoutMs: 5_000,
  }),
  "frr-show-bgp-summary": command({
    id: "frr-show-bgp-summary",
    runsOn: "router",
    params: none,
    build: () => ({ vtysh: "show bgp summary json" }),
    parse: parseBgpSummary,
    maxOutputBytes: 2 * MB,
    timeoutMs: 5_000,
  }),
  "frr-show-bgp-neighbors": command({
    id: "frr-show-bgp-neighbors",
    runsOn: "router",
    params: none,
    build: () => ({ vtysh: "show bgp neighbors json" }),
    parse: parseBgpNeighbors,
    maxOutputBytes: 8 * MB,
    timeoutMs: 5_000,
  }),
  "frr-show-bgp-ipv6-unicast": command({
    id: "frr-show-bgp-ipv6-unicast",
    runsOn: "router",
    params: range,
    // Routine polls name a range, so a router carrying a full Internet table sends only the plan's prefixes.
    build: (p: { range?: string }) => ({
      vtysh: p.range ? `show bgp ipv6 unicast ${p.range} longer-prefixes json` : "show bgp ipv6 unicast json",
    }),
    parse: parseBgpTable,
    maxOutputBytes: 256 * MB,
    timeoutMs: 30_000,
  }),
  "frr-show-bgp-ipv6-unicast-prefix": command({
    id: "frr-show-bgp-ipv6-unicast-prefix",
    runsOn: "router",
    params: prefix,
    build: (p: { prefix: string }) => ({ vtysh: `show bgp ipv6 unicast ${p.prefix} json` }),
    parse: parseBgpPrefix,
    maxOutputBytes: 1 * MB,
    timeoutMs: 5_000,
  }),
  "frr-show-bfd-peers": command({
    id: "frr-show-bfd-peers",
    runsOn: "router",
    params: none,
    build: () => ({ vtysh: "show bfd peers json" }),
    parse: parseBfdPeers,
    maxOutputBytes: 1 * MB,
    timeoutMs: 5_000,
  }),
  "frr-show-ipv6-route": command({
    id: "frr-show-ipv6-route",
    runsOn: "router",
    params: range,
    build: (p: { range?: string }) => ({
      vtysh: p.range ? `show ipv6 route ${p.range} longer-prefixes json` : "show ipv6 route json",
    }),
    parse: parseIpv6Routes,
    maxOutputBytes: 256 * MB,
    timeoutMs: 30_000,
  }),
  // pfSense's CARP state (FreeBSD's ifconfig on the PATH, /sbin): its FRR package stops FRR on a CARP backup.
  "pfsense-ifconfig": command({
    id: "pfsense-ifconfig",
    runsOn: "router",
    platforms: ["pfsense-frr"],
    unprivileged: true,
    params: none,
    build: () => ({ argv: ["ifconfig", "-a"] }),
    parse: parseCarpStatus,
    maxOutputBytes: 512 * KB,
    timeoutMs: 5_000,
  }),
  // The running configuration (text): what the router step reads back (timers, maximum-paths, ebgp-requires-policy).
  "frr-show-running-config": command({
    id: "frr-show-running-config",
    runsOn: "router",
    params: none,
    build: () => ({ vtysh: "show running-config" }),
    parse: parseFrrRunningConfig,
    maxOutputBytes: 2 * MB,
    timeoutMs: 10_000,
  }),
  // The router step on a Linux FRR: timers per node neighbour and multipath for IPv6, saved. Never on pfSense, whose
  // package regenerates frr.conf from its GUI and drops anything typed into vtysh.
  "frr-configure-bgp": command({
    id: "frr-configure-bgp",
    runsOn: "router",
    platforms: ["linux-frr"],
    changes: true,
    params: frrConfigureParams,
    build: (p: {
      asn: number;
      neighbors: string[];
      keepaliveS: number;
      holdS: number;
      maximumPaths: number;
    }) => ({
      vtysh: [
        "configure terminal",
        `router bgp ${p.asn}`,
        ...p.neighbors.map((n) => `neighbor ${n} timers ${p.keepaliveS} ${p.holdS}`),
        "address-family ipv6 unicast",
        `maximum-paths ${p.maximumPaths}`,
        "exit-address-family",
        "end",
        "write memory",
      ],
    }),
    parse: parseText,
    maxOutputBytes: 64 * KB,
    timeoutMs: 30_000,
  }),
  // Resets one session so new timers are negotiated (the others keep carrying the VIP meanwhile).
  "frr-clear-bgp-neighbor": command({
    id: "frr-clear-bgp-neighbor",
    runsOn: "router",
    changes: true,
    params: z.object({ address: ipv6AddressParam }).strict(),
    build: (p: { address: string }) => ({ vtysh: `clear bgp ipv6 unicast ${p.address}` }),
    parse: parseText,
    maxOutputBytes: 16 * KB,
    timeoutMs: 15_000,
  }),
  "calicoctl-node-status": command({
    id: "calicoctl-node-status",
    runsOn: "node",
    params: none,
    build: () => ({ argv: ["calicoctl", "node", "status"] }),
    parse: parseCalicoNodeStatus,
    maxOutputBytes: 256 * KB,
    timeoutMs: 10_000,
  }),
  // systemd waits for k3s's readiness notification on start: it may take a minute on a busy server.
  "systemctl-k3s": command({
    id: "systemctl-k3s",
    runsOn: "node",
    changes: true,
    params: k3sVerbParams,
    build: (p: { verb: string }) => ({ argv: ["systemctl", p.verb, "k3s"] }),
    parse: parseText,
    maxOutputBytes: 16 * KB,
    timeoutMs: 120_000,
  }),
  "k3s-kill": command({
    id: "k3s-kill",
    runsOn: "node",
    changes: true,
    params: none,
    build: () => ({ argv: ["systemctl", "kill", "--kill-whom=main", "--signal=SIGKILL", "k3s"] }),
    parse: parseText,
    maxOutputBytes: 16 * KB,
    timeoutMs: 15_000,
  }),
  // calico-node's IPv6 BIRD; runit in the container starts it again at once (with graceful restart).
  "bird-kill": command({
    id: "bird-kill",
    runsOn: "node",
    changes: true,
    params: none,
    build: () => ({ argv: ["pkill", "-KILL", "-x", "bird6"] }),
    parse: parseText,
    maxOutputBytes: 16 * KB,
    timeoutMs: 15_000,
  }),
  "calico-bgp": command({
    id: "calico-bgp",
    runsOn: "node",
    changes: true,
    params: bgpVerbParams,
    build: (p: { verb: string }) => ({ argv: ["sh", "-c", CALICO_BGP_SCRIPT, "k3s-ha-bgp", p.verb] }),
    parse: parseText,
    maxOutputBytes: 16 * KB,
    timeoutMs: 30_000,
  }),
  // Returns at once; the node goes down a moment later (the console's session with it).
  "node-reboot": command({
    id: "node-reboot",
    runsOn: "node",
    changes: true,
    params: none,
    build: () => ({ argv: ["systemctl", "reboot"] }),
    parse: parseText,
    maxOutputBytes: 16 * KB,
    timeoutMs: 15_000,
  }),
  // The k3s configuration as k3s reads it (config.yaml, the drop-ins, the unit's ExecStart); parsed down to the keys
  // the setup needs, so a token in config.yaml goes no further than the parser.
  "k3s-config-show": command({
    id: "k3s-config-show",
    runsOn: "node",
    params: none,
    build: () => ({ argv: ["sh", "-c", K3S_CONFIG_SHOW_SCRIPT] }),
    parse: parseK3sConfigShow,
    maxOutputBytes: 256 * KB,
    timeoutMs: 10_000,
  }),
  // The console's drop-in and AuthenticationConfiguration, rendered here from validated names: never request text.
  "k3s-dropin-write": command({
    id: "k3s-dropin-write",
    runsOn: "node",
    changes: true,
    params: dropInParams,
    build: (p: { tlsSan: string[]; authConfig: boolean }) => ({
      argv: [
        "sh",
        "-c",
        K3S_DROPIN_WRITE_SCRIPT,
        "k3s-ha-config",
        renderK3sHaDropIn(p),
        p.authConfig ? renderAuthenticationConfig() : "",
      ],
    }),
    parse: parseText,
    maxOutputBytes: 16 * KB,
    timeoutMs: 15_000,
  }),
  "k3s-dropin-remove": command({
    id: "k3s-dropin-remove",
    runsOn: "node",
    changes: true,
    params: none,
    build: () => ({ argv: ["sh", "-c", K3S_DROPIN_REMOVE_SCRIPT, "k3s-ha-config"] }),
    parse: parseText,
    maxOutputBytes: 16 * KB,
    timeoutMs: 15_000,
  }),
  "node-drop-traffic": command({
    id: "node-drop-traffic",
    runsOn: "node",
    changes: true,
    params: dropParams,
    build: (p: { seconds: number }) => ({
      argv: ["sh", "-c", DROP_SCRIPT, "k3s-ha-fault", String(p.seconds)],
    }),
    parse: parseText,
    maxOutputBytes: 16 * KB,
    timeoutMs: 15_000,
  }),
};

export type RegisteredCommandId = keyof typeof commands;
/** Compile-time: every id in ids.ts has a registry entry and every entry an id (fixtures are named by them). */
export const REGISTRY_MATCHES_IDS: [
  Exclude<CommandId, RegisteredCommandId>,
  Exclude<RegisteredCommandId, CommandId>,
] extends [never, never]
  ? true
  : false = true;
type SpecOf<I extends RegisteredCommandId> = (typeof commands)[I];
export type CommandParams<I extends RegisteredCommandId> = z.input<SpecOf<I>["params"]>;

/** POSIX shell single-quoting: the remote shell sees each argument exactly as given. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

export interface BuiltCommand {
  id: RegisteredCommandId;
  argv: string[];
  /** What an SSH exec channel is given (the argv, shell-quoted). */
  line: string;
  maxOutputBytes: number;
  timeoutMs: number;
}

/**
 * The exact command for `target`, or an error naming the bad parameter. vtysh commands run as
 * `[sudo -n] <vtysh> -c '<command>'`; node commands as `[sudo -n] <argv>`.
 */
export function buildCommand<I extends RegisteredCommandId>(
  id: I,
  params: CommandParams<I>,
  target: CommandTarget,
): { ok: true; command: BuiltCommand } | { ok: false; message: string } {
  const spec: Validating = commands[id];
  if (spec.runsOn !== target.kind)
    return { ok: false, message: `${id} runs on the ${spec.runsOn}, not a ${target.kind}` };
  if (spec.platforms && !(target.platform && spec.platforms.includes(target.platform)))
    return { ok: false, message: `${id} runs on ${spec.platforms.join(", ")} routers only` };
  const checked = spec.validate(params);
  if (!checked.ok) return checked;
  const built = checked.built;
  let argv: string[];
  if ("vtysh" in built) {
    if (!target.platform) return { ok: false, message: `${id} needs the router's platform` };
    const lines = typeof built.vtysh === "string" ? [built.vtysh] : built.vtysh;
    argv = [VTYSH[target.platform], ...lines.flatMap((l) => ["-c", l])];
  } else argv = built.argv;
  if (target.sudo && !spec.unprivileged) argv = ["sudo", "-n", ...argv];
  return {
    ok: true,
    command: {
      id,
      argv,
      line: argv.map(shellQuote).join(" "),
      maxOutputBytes: spec.maxOutputBytes,
      timeoutMs: spec.timeoutMs,
    },
  };
}
