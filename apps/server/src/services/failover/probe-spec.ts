// A run's probe worker spec from the plan and the kubeconfig: the targets on the API port, both connection modes,
// the kubeconfig's CA and credentials, the plan's DNS server and the only addresses a name may be dialled at.
import { dialableAddresses, type Plan, type RunRequest, type RunTarget } from "@k3s-ha/shared";
import type { KubeAccess } from "../../plugins/kube.js";
import type { ProbeRunSpec } from "./probe/scheduler.js";

const text = (v: Buffer | string | undefined) => (v === undefined ? undefined : v.toString());

export function probeSpec(
  plan: Plan,
  request: RunRequest,
  targets: readonly RunTarget[],
  access: Pick<KubeAccess, "server" | "tls">,
  originMs: number,
): ProbeRunSpec {
  const port = Number(access.server.port || 443);
  const { tls } = access;
  const ca = text(tls.ca);
  const cert = text(tls.cert);
  const key = text(tls.key);
  return {
    originMs,
    intervalMs: request.intervalMs,
    timeoutMs: request.timeoutMs,
    request: request.request,
    dial: request.dial,
    credentials: {
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      headers: tls.headers,
      rejectUnauthorized: tls.rejectUnauthorized,
    },
    targets: targets.map((t) => ({ ...t, port })),
    modes: ["new", "reused"],
    dns: { address: plan.dns.server, port: plan.dns.port },
    allowed: dialableAddresses(plan),
    durationMs: request.durationS * 1_000,
    batchMs: 100,
  };
}
