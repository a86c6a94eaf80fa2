// `show running-config` (text): the default-VRF `router bgp` block as the router step reads it — per neighbour (or
// peer group) the configured timers, peer-group membership, whether eBGP requires a policy, and IPv6 multipath.
import { type Parsed, parseFailed } from "./parsed.js";

export const RUNNING_CONFIG_ID = "frr-show-running-config";

export interface FrrBgpConfig {
  asn: number;
  /** RFC 8212 (FRR's default): eBGP sessions exchange nothing without a policy. */
  ebgpRequiresPolicy: boolean;
  /** `neighbor <address|group> timers K H`. */
  timers: Record<string, { keepaliveS: number; holdS: number }>;
  /** Neighbour address → its peer group. */
  peerGroupOf: Record<string, string>;
  /** `maximum-paths N` under `address-family ipv6 unicast` (eBGP paths; absent: FRR's default of 64). */
  maximumPathsIpv6?: number;
}

export interface FrrRunningConfig {
  frrVersion?: string;
  /** The default VRF's BGP instance, if there is one. */
  bgp?: FrrBgpConfig;
}

/** The neighbour's effective timers: its own, else its peer group's. */
export function neighborTimers(
  bgp: FrrBgpConfig,
  address: string,
): { keepaliveS: number; holdS: number } | undefined {
  const group = bgp.peerGroupOf[address];
  return bgp.timers[address] ?? (group ? bgp.timers[group] : undefined);
}

export function parseFrrRunningConfig(stdout: string): Parsed<FrrRunningConfig> {
  const lines = stdout.split(/\r?\n/);
  if (!lines.some((l) => l.startsWith("frr version") || l === "end" || l.startsWith("Current configuration")))
    return parseFailed(RUNNING_CONFIG_ID, "not FRR's running configuration", stdout);
  const out: FrrRunningConfig = {};
  const version = lines.find((l) => l.startsWith("frr version "));
  if (version) out.frrVersion = version.slice("frr version ".length).trim();
  const start = lines.findIndex((l) => /^router bgp \d+\s*$/.test(l));
  if (start < 0) return { ok: true, value: out };
  const bgp: FrrBgpConfig = {
    asn: Number(/^router bgp (\d+)/.exec(lines[start] ?? "")?.[1]),
    ebgpRequiresPolicy: true,
    timers: {},
    peerGroupOf: {},
  };
  let family = "";
  for (const raw of lines.slice(start + 1)) {
    if (/^\S/.test(raw)) break; // `exit`, `!`, the next top-level block
    const line = raw.trim();
    if (line.startsWith("address-family ")) family = line.slice("address-family ".length);
    else if (line === "exit-address-family") family = "";
    else if (line === "no bgp ebgp-requires-policy") bgp.ebgpRequiresPolicy = false;
    else if (family === "" && /^neighbor \S+ timers \d+ \d+$/.test(line)) {
      const [, who, , k, h] = line.split(" ");
      if (who) bgp.timers[who] = { keepaliveS: Number(k), holdS: Number(h) };
    } else if (family === "" && /^neighbor \S+ peer-group \S+$/.test(line)) {
      const [, who, , group] = line.split(" ");
      if (who && group) bgp.peerGroupOf[who] = group;
    } else if (family === "ipv6 unicast" && /^maximum-paths \d+$/.test(line))
      bgp.maximumPathsIpv6 = Number(line.split(" ")[1]);
  }
  out.bgp = bgp;
  return { ok: true, value: out };
}
