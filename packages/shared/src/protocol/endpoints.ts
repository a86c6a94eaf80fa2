// The API endpoint matrix (`GET /api/endpoints`): for each node address, the VIP and every address of each DNS name,
// TCP connect, TLS handshake with the kubeconfig's CA, whether the certificate covers the name or address dialled
// (as kubectl checks it), and `/readyz` with the kubeconfig's credentials — with latencies.
import { z } from "zod";

/** `vip`, `vip-name`, `round-robin`, or `node:<name>`. */
export const endpointTargetSchema = z.union([
  z.enum(["vip", "vip-name", "round-robin"]),
  z.string().regex(/^node:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/),
]);

export const endpointProbeSchema = z.object({
  target: endpointTargetSchema,
  /** The DNS name dialled (for `vip-name` and `round-robin`). */
  name: z.string().optional(),
  address: z.string(),
  /** A DNS answer the plan does not name: probed without the kubeconfig's credentials (readyz then answers 401). */
  outsidePlan: z.boolean().optional(),
  port: z.number().int(),
  tcp: z.object({ ok: z.boolean(), ms: z.number().optional(), error: z.string().optional() }),
  tls: z.object({
    ok: z.boolean(),
    /** The certificate's SANs cover the name (or, for an address, the IP) the client used. */
    sanCovers: z.boolean(),
    ms: z.number().optional(),
    error: z.string().optional(),
  }),
  readyz: z.object({
    /** The HTTP status, or null when no answer came. */
    status: z.number().int().nullable(),
    ms: z.number().optional(),
    error: z.string().optional(),
  }),
});
export type EndpointProbe = z.infer<typeof endpointProbeSchema>;

export const endpointsResponseSchema = z.object({ endpoints: z.array(endpointProbeSchema) });
export type EndpointsResponse = z.infer<typeof endpointsResponseSchema>;
