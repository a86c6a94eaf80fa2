// Request and response bodies of the HTTP API as zod schemas: the server types its answers, the web client validates them.
import { z } from "zod";
import { bgpStates } from "../frr/bgp-state.js";
import { planSchema } from "../plan/schema.js";

/** Letters, digits, punctuation, symbols and plain spaces: no control, format (bidi) or unassigned characters. */
const PRINTABLE_NAME = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u;

export const loginBodySchema = z.strictObject({
  username: z
    .string()
    .min(1)
    .max(64)
    .regex(PRINTABLE_NAME, "only printable characters (no control or bidi characters)"),
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

/** The shortest new password the console accepts. */
export const MIN_PASSWORD_LENGTH = 12;

export const passwordChangeBodySchema = z.strictObject({
  currentPassword: z.string().min(1).max(1024),
  newPassword: z.string().min(1).max(1024),
});
export type PasswordChangeBody = z.infer<typeof passwordChangeBodySchema>;

export const sessionInfoSchema = z.object({
  user: z.string(),
  /** Send back as the `x-csrf-token` header on every mutating request. */
  csrfToken: z.string(),
  /** The password is set by K3S_HA_ADMIN_PASSWORD and cannot be changed from the console. */
  passwordManaged: z.boolean().optional(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

export const apiErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof apiErrorSchema>;

export const findingSchema = z.object({
  id: z.string(),
  severity: z.enum(["error", "warning", "info"]),
  message: z.string(),
  paths: z.array(z.string()),
  fix: z.string(),
  /** The exact values the fix proposes, where it proposes some. */
  patch: z
    .array(
      z.object({
        path: z.string(),
        value: z.union([z.string(), z.number(), z.boolean(), z.array(z.string())]),
      }),
    )
    .optional(),
});

export const planErrorSchema = z.object({
  path: z.string(),
  segments: z.array(z.union([z.string(), z.number()])),
  value: z.unknown().optional(),
  message: z.string(),
  line: z.number().int().optional(),
  column: z.number().int().optional(),
});

export const planSourceSchema = z.object({
  file: z.string(),
  /** `ok`: the file on disk is the plan shown; `invalid`: the file has errors and the last good plan is shown. */
  status: z.enum(["ok", "invalid"]),
  loadedAt: z.string(),
  /** Increments each time the plan on disk is read again. */
  revision: z.number().int(),
});
export type PlanSource = z.infer<typeof planSourceSchema>;

export const planResponseSchema = z.object({
  /** The last good plan (null if the file was never valid). File references are shown; no secret is ever loaded. */
  plan: planSchema.nullable(),
  findings: z.array(findingSchema),
  /** Errors of the file on disk when it does not validate (at most 50, then one that counts the rest). */
  errors: z.array(planErrorSchema),
  source: planSourceSchema,
});
export type PlanResponse = z.infer<typeof planResponseSchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.enum(["ok", "denied", "failed"]),
  detail: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: z.number().int().nullable(),
  /** Actors and actions that occur in the log, most frequent first, for filters. */
  facets: z.object({ actors: z.array(z.string()), actions: z.array(z.string()) }),
});
export type AuditResponse = z.infer<typeof auditResponseSchema>;

export const healthResponseSchema = z.object({
  status: z.literal("ok"),
  version: z.string(),
  uptimeSeconds: z.number(),
});
export type HealthResponse = z.infer<typeof healthResponseSchema>;

/** A source's state in the hub: `stale` after three intervals without a successful refresh. */
export const sourceStatuses = [
  "ok",
  "stale",
  "failing",
  "unconfigured",
  "host-key-unknown",
  "host-key-changed",
  // A pfSense CARP backup: its FRR package keeps FRR stopped until the firewall becomes master.
  "standby",
] as const;
export type SourceStatus = (typeof sourceStatuses)[number];

export const sourceErrorSchema = z.object({ code: z.string(), message: z.string(), at: z.string() });
export type SourceError = z.infer<typeof sourceErrorSchema>;

export const sourceInfoSchema = z.object({
  /** `router`, `node:<name>`, `kubernetes`, `dns`, `endpoints`. */
  id: z.string(),
  status: z.enum(sourceStatuses),
  /** The last successful refresh (ISO 8601 UTC); absent until the first one. */
  lastRefresh: z.string().optional(),
  lastError: sourceErrorSchema.optional(),
  /** How often the source is refreshed (absent for watches). */
  intervalMs: z.number().int().positive().optional(),
});
export type SourceInfo = z.infer<typeof sourceInfoSchema>;

export const sourcesResponseSchema = z.object({ sources: z.array(sourceInfoSchema) });
export type SourcesResponse = z.infer<typeof sourcesResponseSchema>;

const bgpStateSchema = z.enum(bgpStates);

export const bgpPeerViewSchema = z.object({
  source: z.union([z.literal("router"), z.string().regex(/^node:/)]),
  address: z.string(),
  name: z.string().optional(),
  state: bgpStateSchema,
  peerState: z.string().optional(),
  /** When the session came up; `uptimeMs` is measured from it at the moment of the answer. */
  establishedAt: z.string().optional(),
  uptimeMs: z.number().optional(),
  prefixesReceived: z.number().int().optional(),
  prefixesSent: z.number().int().optional(),
  holdTimeMs: z.number().optional(),
  keepaliveMs: z.number().optional(),
  gracefulRestart: z
    .object({
      localMode: z.string().optional(),
      remoteMode: z.string().optional(),
      peerRestartTimeS: z.number().optional(),
      endOfRibReceived: z.boolean().optional(),
    })
    .optional(),
  bfd: z
    .object({
      status: z.string(),
      detectMultiplier: z.number().optional(),
      receiveIntervalMs: z.number().optional(),
      transmitIntervalMs: z.number().optional(),
    })
    .optional(),
});

export const bgpPeersResponseSchema = z.object({ peers: z.array(bgpPeerViewSchema) });
export type BgpPeersResponse = z.infer<typeof bgpPeersResponseSchema>;

export const routeViewSchema = z.object({
  prefix: z.string(),
  paths: z.array(
    z.object({
      nextHop: z.string(),
      node: z.string().optional(),
      peer: z.string(),
      best: z.boolean(),
      multipath: z.boolean(),
      valid: z.boolean(),
      stale: z.boolean(),
    }),
  ),
  fib: z.object({
    nextHops: z.array(z.object({ address: z.string(), node: z.string().optional(), active: z.boolean() })),
  }),
});

export const bgpRoutesResponseSchema = z.object({ routes: z.array(routeViewSchema) });
export type BgpRoutesResponse = z.infer<typeof bgpRoutesResponseSchema>;

/** `GET /api/bgp/table?contains=&limit=`: the router's whole IPv6 table, read on demand (not by the routine poll). */
export const bgpTableResponseSchema = z.object({
  /** The routes that match `contains` (a prefix or node substring), at most `limit`. */
  routes: z.array(routeViewSchema.omit({ fib: true })),
  /** Routes and paths in the whole table, and how many matched the filter. */
  totalRoutes: z.number().int(),
  totalPaths: z.number().int(),
  matched: z.number().int(),
  /** When the router was asked (a read is reused for 30 s). */
  fetchedAt: z.string(),
  /** How long reading and parsing took on the console. */
  durationMs: z.number(),
});
export type BgpTableResponse = z.infer<typeof bgpTableResponseSchema>;

/** Where a host's SSH pin comes from. */
export const pinSources = ["plan", "known-hosts", "approved", "none"] as const;

export const hostInfoSchema = z.object({
  /** `router` or a node name. */
  name: z.string(),
  address: z.string(),
  port: z.number().int(),
  user: z.string(),
  pin: z.enum(pinSources),
  /** SHA256 fingerprints of the keys the host may present. */
  pinnedFingerprints: z.array(z.string()),
  approvedBy: z.string().optional(),
  approvedAt: z.string().optional(),
  /** The key the host offered when it was last refused for its key: what an approval would accept. */
  offered: z.object({ fingerprint: z.string() }).optional(),
  /** Why the console cannot use the host at all (a key file it cannot read…). */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export const hostsResponseSchema = z.object({ hosts: z.array(hostInfoSchema) });
export type HostsResponse = z.infer<typeof hostsResponseSchema>;

export const approveKeyBodySchema = z.strictObject({
  /** The fingerprint the admin compared, `SHA256:…`: a key that changed since is not approved by it. */
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, "expected an OpenSSH SHA256 fingerprint"),
});
