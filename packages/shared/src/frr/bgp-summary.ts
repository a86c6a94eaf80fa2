// `show bgp [ipv6 [unicast]] summary json` (bgpd bgp_show_summary): FRR 7.4-10.x, every wrapping FRR prints —
// per address family (`{ipv6Unicast: …}`), bare (`show bgp ipv6 unicast summary json`), per VRF (`vrf all`), `{}`.
import { z } from "zod";
import { asnSchema } from "./asn.js";
import { type SessionState, sessionState } from "./bgp-state.js";
import { guarded, type Parsed, parseFailed, parseJsonOutput, withSchema } from "./parsed.js";

export const BGP_SUMMARY_ID = "frr-show-bgp-summary";

export interface BgpSummaryPeer extends SessionState {
  address: string;
  remoteAs: number;
  localAs?: number;
  hostname?: string;
  description?: string;
  /** FRR's peerState (8.0+): OK, Admin, PfxCt, Passive, "NSF passive", or Policy (ebgp-requires-policy, no policy). */
  peerState?: string;
  uptimeMs?: number;
  /** When the session was established (epoch seconds; FRR prints it once established). Stable across polls. */
  establishedEpochS?: number;
  prefixesReceived?: number;
  prefixesSent?: number;
  connectionsEstablished?: number;
  connectionsDropped?: number;
}

export interface BgpFamilySummary {
  /** `ipv6Unicast`, `ipv4Unicast`…; `unknown` for the bare form (the command named the family). */
  family: string;
  routerId?: string;
  localAs?: number;
  peers: BgpSummaryPeer[];
}

export interface BgpSummary {
  families: BgpFamilySummary[];
}

const peerSchema = z.object({
  remoteAs: asnSchema,
  localAs: asnSchema.optional(),
  hostname: z.string().optional(),
  desc: z.string().optional(),
  state: z.string(),
  peerState: z.string().optional(),
  peerUptimeMsec: z.number().nonnegative().optional(),
  peerUptimeEstablishedEpoch: z.number().int().nonnegative().optional(),
  pfxRcd: z.number().int().nonnegative().optional(),
  /** FRR <= 7.3's name for pfxRcd. */
  prefixReceivedCount: z.number().int().nonnegative().optional(),
  pfxSnt: z.number().int().nonnegative().optional(),
  connectionsEstablished: z.number().int().nonnegative().optional(),
  connectionsDropped: z.number().int().nonnegative().optional(),
});

const familySchema = z.object({
  routerId: z.string().optional(),
  as: asnSchema.optional(),
  peers: z.record(z.string(), peerSchema),
});

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** FRR's address family keys: ipv4Unicast, ipv6Unicast, ipv6LabeledUnicast, l2VpnEvpn… */
const FAMILY_KEY = /^(ipv4|ipv6|l2Vpn)[A-Z]\w*$/;

/** Finds the per-family summaries in whichever wrapping FRR used (the default VRF of `vrf all`). */
function families(data: Record<string, unknown>, depth = 0): [string, unknown][] | undefined {
  if ("peers" in data) return [["unknown", data]];
  const entries = Object.entries(data);
  if (entries.every(([k, v]) => FAMILY_KEY.test(k) && isObject(v) && "peers" in v)) return entries;
  const vrf = data.default;
  if (depth === 0 && isObject(vrf)) return families(vrf, 1);
  return undefined;
}

export function parseBgpSummary(stdout: string): Parsed<BgpSummary> {
  const id = BGP_SUMMARY_ID;
  return guarded(id, stdout, () => {
    const json = parseJsonOutput(id, stdout);
    if (!json.ok) return json;
    if (!isObject(json.value)) return parseFailed(id, "expected a JSON object", stdout);
    const found = families(json.value);
    if (!found) return parseFailed(id, "no address family summary with peers in the output", stdout);
    const out: BgpFamilySummary[] = [];
    for (const [family, raw] of found) {
      const r = withSchema(id, familySchema, raw, stdout);
      if (!r.ok) return r;
      const peers: BgpSummaryPeer[] = [];
      for (const [address, p] of Object.entries(r.value.peers)) {
        const s = sessionState(p.state);
        if (!s) return parseFailed(id, `peer ${address}: unknown BGP state "${p.state}"`, stdout);
        const received = p.pfxRcd ?? p.prefixReceivedCount;
        peers.push({
          address,
          ...s,
          remoteAs: p.remoteAs,
          ...(p.localAs !== undefined ? { localAs: p.localAs } : {}),
          ...(p.hostname ? { hostname: p.hostname } : {}),
          ...(p.desc ? { description: p.desc } : {}),
          ...(p.peerState ? { peerState: p.peerState } : {}),
          ...(p.peerUptimeMsec !== undefined ? { uptimeMs: p.peerUptimeMsec } : {}),
          ...(p.peerUptimeEstablishedEpoch !== undefined
            ? { establishedEpochS: p.peerUptimeEstablishedEpoch }
            : {}),
          ...(received !== undefined ? { prefixesReceived: received } : {}),
          ...(p.pfxSnt !== undefined ? { prefixesSent: p.pfxSnt } : {}),
          ...(p.connectionsEstablished !== undefined
            ? { connectionsEstablished: p.connectionsEstablished }
            : {}),
          ...(p.connectionsDropped !== undefined ? { connectionsDropped: p.connectionsDropped } : {}),
        });
      }
      out.push({
        family,
        ...(r.value.routerId ? { routerId: r.value.routerId } : {}),
        ...(r.value.as !== undefined ? { localAs: r.value.as } : {}),
        peers,
      });
    }
    return { ok: true, value: { families: out } };
  });
}

/** The IPv6 unicast peers (or the bare form's), which is what the console's routers carry. */
export function ipv6Peers(summary: BgpSummary): BgpSummaryPeer[] {
  const f =
    summary.families.find((x) => x.family === "ipv6Unicast") ??
    summary.families.find((x) => x.family === "unknown");
  return f?.peers ?? [];
}
