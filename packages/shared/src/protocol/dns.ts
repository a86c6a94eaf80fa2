// The DNS source's snapshot (`GET /api/dns`): the round-robin and VIP names as the plan's DNS server answers them,
// compared with what the plan expects — missing and extra AAAA records, and the TTL.
import { z } from "zod";

export const dnsNameKinds = ["round-robin", "vip-name"] as const;

export const dnsNameViewSchema = z.object({
  name: z.string(),
  kind: z.enum(dnsNameKinds),
  /** What the plan says the name must answer: every server's address, or the VIP. */
  expected: z.array(z.string()),
  answers: z.array(z.object({ address: z.string(), ttl: z.number().int() })),
  missing: z.array(z.string()),
  /** Answered but not expected; `stale` when it lies in the plan's network (a former node, most likely). */
  extra: z.array(z.object({ address: z.string(), stale: z.boolean() })),
  /** The plan's TTL and whether every answer carries it (the plan's server is authoritative: TTLs are exact). */
  ttlExpected: z.number().int(),
  ttlOk: z.boolean(),
  /** A lookup that failed for this name (NXDOMAIN, SERVFAIL…). */
  error: z.object({ code: z.string(), message: z.string() }).optional(),
  consistent: z.boolean(),
});
export type DnsNameView = z.infer<typeof dnsNameViewSchema>;

export const dnsSnapshotSchema = z.object({
  server: z.string(),
  names: z.array(dnsNameViewSchema),
});
export type DnsSnapshot = z.infer<typeof dnsSnapshotSchema>;

export const dnsResponseSchema = z.object({ dns: dnsSnapshotSchema.nullable() });
export type DnsResponse = z.infer<typeof dnsResponseSchema>;
