// The route-policy audit as the API answers it (`GET /api/route-audit`): checks with status, severity, a one-line
// message and the evidence (parsed lines or objects) each rests on.
import { z } from "zod";

export const auditStatuses = ["pass", "fail", "unknown"] as const;
export const auditSeverities = ["error", "warning", "info"] as const;

export const evidenceSchema = z.object({
  /** Where the line comes from. */
  source: z.enum(["router", "kubernetes", "plan", "dns", "endpoints"]),
  text: z.string(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const auditCheckSchema = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(auditStatuses),
  /** How much a failure matters: `info` for what is a choice (one path without multipath). */
  severity: z.enum(auditSeverities),
  message: z.string(),
  evidence: z.array(evidenceSchema),
});
export type AuditCheck = z.infer<typeof auditCheckSchema>;

export const routeAuditResponseSchema = z.object({ checks: z.array(auditCheckSchema) });
export type RouteAuditResponse = z.infer<typeof routeAuditResponseSchema>;
