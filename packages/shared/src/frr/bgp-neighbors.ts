// `show bgp neighbors json` (bgpd bgp_show_peer): per session the negotiated and configured timers, graceful
// restart as negotiated, and BFD when the session uses it (FRR 8.4-10.x).
import { z } from "zod";
import { asnSchema } from "./asn.js";
import { type SessionState, sessionState } from "./bgp-state.js";
import { guarded, type Parsed, parseFailed, parseJsonOutput, withSchema } from "./parsed.js";

export const BGP_NEIGHBORS_ID = "frr-show-bgp-neighbors";

export interface BgpNeighbor extends SessionState {
  address: string;
  remoteAs: number;
  localAs?: number;
  description?: string;
  hostname?: string;
  remoteRouterId?: string;
  /** Time in the current state (FRR's bgpTimerUpMsec: established time once Established). */
  uptimeMs?: number;
  /** Negotiated hold time and keepalive (the lower hold time of the two speakers). */
  holdTimeMs?: number;
  keepaliveMs?: number;
  configuredHoldTimeMs?: number;
  configuredKeepaliveMs?: number;
  gracefulRestart?: {
    /** FRR's modes: "Helper", "Restart", "Disable", "NotApplicable"; a trailing * means inherited (global). */
    localMode?: string;
    remoteMode?: string;
    /** The restart time the peer announced, seconds (how long its routes are kept as stale). */
    peerRestartTimeS?: number;
    configuredRestartTimeS?: number;
    /** Whether End-of-RIB has been received for IPv6 unicast (stale paths are then cleared). */
    endOfRibReceived?: boolean;
  };
  bfd?: {
    /** "Up", "Down", "Init", "AdminDown", "Unknown" as bgpd reports its BFD session. */
    status: string;
    type?: string;
    detectMultiplier?: number;
    receiveIntervalMs?: number;
    transmitIntervalMs?: number;
  };
  lastResetReason?: string;
}

const grSchema = z
  .object({
    localGrMode: z.string().optional(),
    remoteGrMode: z.string().optional(),
    timers: z
      .object({
        configuredRestartTimer: z.number().optional(),
        receivedRestartTimer: z.number().optional(),
      })
      .optional(),
    endOfRibRecv: z.record(z.string(), z.boolean()).optional(),
  })
  .optional();

const bfdSchema = z
  .object({
    status: z.string(),
    type: z.string().optional(),
    detectMultiplier: z.number().optional(),
    rxMinInterval: z.number().optional(),
    txMinInterval: z.number().optional(),
  })
  .optional();

const neighborSchema = z.object({
  remoteAs: asnSchema,
  localAs: asnSchema.optional(),
  nbrDesc: z.string().optional(),
  hostname: z.string().optional(),
  remoteRouterId: z.string().optional(),
  bgpState: z.string(),
  bgpTimerUpMsec: z.number().nonnegative().optional(),
  bgpTimerHoldTimeMsecs: z.number().nonnegative().optional(),
  bgpTimerKeepAliveIntervalMsecs: z.number().nonnegative().optional(),
  bgpTimerConfiguredHoldTimeMsecs: z.number().nonnegative().optional(),
  bgpTimerConfiguredKeepAliveIntervalMsecs: z.number().nonnegative().optional(),
  gracefulRestartInfo: grSchema,
  peerBfdInfo: bfdSchema,
  lastResetDueTo: z.string().optional(),
});

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function parseBgpNeighbors(stdout: string): Parsed<BgpNeighbor[]> {
  const id = BGP_NEIGHBORS_ID;
  return guarded(id, stdout, () => {
    const json = parseJsonOutput(id, stdout);
    if (!json.ok) return json;
    if (!isObject(json.value)) return parseFailed(id, "expected a JSON object keyed by neighbor", stdout);
    const out: BgpNeighbor[] = [];
    for (const [address, raw] of Object.entries(json.value)) {
      // `show bgp neighbors json` keys are neighbors; FRR adds no other top-level keys for the default VRF.
      const r = withSchema(id, neighborSchema, raw, stdout);
      if (!r.ok) return parseFailed(id, `neighbor ${address}: ${r.error.message}`, stdout);
      const n = r.value;
      const s = sessionState(n.bgpState);
      if (!s) return parseFailed(id, `neighbor ${address}: unknown BGP state "${n.bgpState}"`, stdout);
      const gr = n.gracefulRestartInfo;
      const eor = gr?.endOfRibRecv;
      out.push({
        address,
        ...s,
        remoteAs: n.remoteAs,
        ...(n.localAs !== undefined ? { localAs: n.localAs } : {}),
        ...(n.nbrDesc ? { description: n.nbrDesc } : {}),
        ...(n.hostname ? { hostname: n.hostname } : {}),
        ...(n.remoteRouterId ? { remoteRouterId: n.remoteRouterId } : {}),
        ...(n.bgpTimerUpMsec !== undefined ? { uptimeMs: n.bgpTimerUpMsec } : {}),
        ...(n.bgpTimerHoldTimeMsecs !== undefined ? { holdTimeMs: n.bgpTimerHoldTimeMsecs } : {}),
        ...(n.bgpTimerKeepAliveIntervalMsecs !== undefined
          ? { keepaliveMs: n.bgpTimerKeepAliveIntervalMsecs }
          : {}),
        ...(n.bgpTimerConfiguredHoldTimeMsecs !== undefined
          ? { configuredHoldTimeMs: n.bgpTimerConfiguredHoldTimeMsecs }
          : {}),
        ...(n.bgpTimerConfiguredKeepAliveIntervalMsecs !== undefined
          ? { configuredKeepaliveMs: n.bgpTimerConfiguredKeepAliveIntervalMsecs }
          : {}),
        ...(gr
          ? {
              gracefulRestart: {
                ...(gr.localGrMode ? { localMode: gr.localGrMode } : {}),
                ...(gr.remoteGrMode ? { remoteMode: gr.remoteGrMode } : {}),
                ...(gr.timers?.receivedRestartTimer !== undefined
                  ? { peerRestartTimeS: gr.timers.receivedRestartTimer }
                  : {}),
                ...(gr.timers?.configuredRestartTimer !== undefined
                  ? { configuredRestartTimeS: gr.timers.configuredRestartTimer }
                  : {}),
                ...(eor && "ipv6Unicast" in eor ? { endOfRibReceived: eor.ipv6Unicast === true } : {}),
              },
            }
          : {}),
        ...(n.peerBfdInfo
          ? {
              bfd: {
                status: n.peerBfdInfo.status,
                ...(n.peerBfdInfo.type ? { type: n.peerBfdInfo.type } : {}),
                ...(n.peerBfdInfo.detectMultiplier !== undefined
                  ? { detectMultiplier: n.peerBfdInfo.detectMultiplier }
                  : {}),
                ...(n.peerBfdInfo.rxMinInterval !== undefined
                  ? { receiveIntervalMs: n.peerBfdInfo.rxMinInterval }
                  : {}),
                ...(n.peerBfdInfo.txMinInterval !== undefined
                  ? { transmitIntervalMs: n.peerBfdInfo.txMinInterval }
                  : {}),
              },
            }
          : {}),
        ...(n.lastResetDueTo ? { lastResetReason: n.lastResetDueTo } : {}),
      });
    }
    return { ok: true, value: out };
  });
}
