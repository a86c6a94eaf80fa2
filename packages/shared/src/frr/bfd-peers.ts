// `show bfd peers json` (bfdd _display_all_peers): a JSON array of sessions with kebab-case keys; intervals in ms.
// FRR <= 7.5's "echo-interval" and >= 8.0's "echo-receive-interval" are both accepted (and ignored).
import { z } from "zod";
import { guarded, type Parsed, parseFailed, parseJsonOutput, withSchema } from "./parsed.js";

export const BFD_PEERS_ID = "frr-show-bfd-peers";

export const bfdStatuses = ["up", "down", "init", "shutdown", "unknown"] as const;

export interface BfdPeer {
  peer: string;
  local?: string;
  interface?: string;
  multihop: boolean;
  status: (typeof bfdStatuses)[number];
  /** Seconds up (when up) or down (when down), as bfdd counts them. */
  uptimeS?: number;
  downtimeS?: number;
  diagnostic?: string;
  remoteDiagnostic?: string;
  detectMultiplier?: number;
  receiveIntervalMs?: number;
  transmitIntervalMs?: number;
  remoteDetectMultiplier?: number;
}

const peerSchema = z.object({
  peer: z.string(),
  local: z.string().optional(),
  interface: z.string().optional(),
  multihop: z.boolean().optional(),
  status: z.enum(bfdStatuses),
  uptime: z.number().nonnegative().optional(),
  downtime: z.number().nonnegative().optional(),
  diagnostic: z.string().optional(),
  "remote-diagnostic": z.string().optional(),
  "detect-multiplier": z.number().int().positive().optional(),
  "receive-interval": z.number().nonnegative().optional(),
  "transmit-interval": z.number().nonnegative().optional(),
  "remote-detect-multiplier": z.number().int().nonnegative().optional(),
});

export function parseBfdPeers(stdout: string): Parsed<BfdPeer[]> {
  const id = BFD_PEERS_ID;
  return guarded(id, stdout, () => {
    const json = parseJsonOutput(id, stdout);
    if (!json.ok) return json;
    if (!Array.isArray(json.value)) return parseFailed(id, "expected a JSON array of BFD sessions", stdout);
    const r = withSchema(id, z.array(peerSchema), json.value, stdout);
    if (!r.ok) return r;
    return {
      ok: true,
      value: r.value.map((p) => ({
        peer: p.peer,
        ...(p.local ? { local: p.local } : {}),
        ...(p.interface ? { interface: p.interface } : {}),
        multihop: p.multihop === true,
        status: p.status,
        ...(p.uptime !== undefined ? { uptimeS: p.uptime } : {}),
        ...(p.downtime !== undefined ? { downtimeS: p.downtime } : {}),
        ...(p.diagnostic ? { diagnostic: p.diagnostic } : {}),
        ...(p["remote-diagnostic"] ? { remoteDiagnostic: p["remote-diagnostic"] } : {}),
        ...(p["detect-multiplier"] !== undefined ? { detectMultiplier: p["detect-multiplier"] } : {}),
        ...(p["receive-interval"] !== undefined ? { receiveIntervalMs: p["receive-interval"] } : {}),
        ...(p["transmit-interval"] !== undefined ? { transmitIntervalMs: p["transmit-interval"] } : {}),
        ...(p["remote-detect-multiplier"] !== undefined
          ? { remoteDetectMultiplier: p["remote-detect-multiplier"] }
          : {}),
      })),
    };
  });
}
