// The `api-service` step: the VIP's LoadBalancer Service and the host-network DaemonSet whose readiness is the local
// apiserver's /readyz; verified by MetalLB's assignment, one ready endpoint per server naming its node, the router's
// VIP paths following them, and a real TLS request through the VIP.
import {
  apiHealthDaemonSet,
  apiService,
  calicoVersionWarning,
  canonicalIp,
  SETUP_NAMES,
  type SetupCheck,
} from "@k3s-ha/shared";
import { probeEndpoint } from "../../../collectors/endpoints.js";
import { check, type StepContext } from "../driver.js";
import { kubeStep } from "../kube-step.js";
import { auditChecks } from "./calico.js";

/** /readyz through the VIP with the kubeconfig's CA and credentials, the SAN checked for the VIP itself. */
export async function throughVip(ctx: StepContext): Promise<SetupCheck> {
  const access = await ctx.kubeAccess();
  const port = Number(access.server.port || 443);
  const p = await probeEndpoint(
    { target: "vip", address: ctx.plan.network.apiVip, planned: true },
    port,
    access.tls,
    ctx.signal,
    3_000,
  );
  const ok = p.tls.ok && p.tls.sanCovers && p.readyz.status === 200;
  const evidence = !p.tcp.ok
    ? `TCP to [${ctx.plan.network.apiVip}]:${port}: ${p.tcp.error ?? "failed"}`
    : !p.tls.ok || !p.tls.sanCovers
      ? `TLS: ${p.tls.error ?? "the certificate does not name the VIP"}`
      : `/readyz answered ${p.readyz.status ?? p.readyz.error ?? "nothing"} in ${p.readyz.ms ?? "?"} ms`;
  return check("api-through-vip", "The API answers through the VIP", ok, evidence);
}

export function serviceChecks(ctx: StepContext): SetupCheck[] {
  const svc = ctx
    .cluster()
    ?.loadBalancerServices.find(
      (s) => s.namespace === SETUP_NAMES.namespace && s.name === SETUP_NAMES.service,
    );
  const vip = canonicalIp(ctx.plan.network.apiVip);
  const servers = ctx.plan.nodes.filter((n) => n.role === "server").map((n) => n.name);
  const ready = new Set((svc?.endpoints ?? []).filter((e) => e.ready && e.node).map((e) => e.node as string));
  const missing = servers.filter((s) => !ready.has(s));
  return [
    check(
      "vip-assigned",
      "MetalLB assigned the VIP",
      svc?.loadBalancerIPs.some((ip) => canonicalIp(ip) === vip) === true,
      svc ? `status.loadBalancer: ${svc.loadBalancerIPs.join(", ") || "none"}` : "the Service is not there",
    ),
    check(
      "endpoints-per-server",
      "Every server has a ready endpoint naming its node",
      svc !== undefined && missing.length === 0,
      svc
        ? `ready: ${[...ready].sort().join(", ") || "none"}${missing.length ? `; not ready or missing: ${missing.join(", ")}` : ""}`
        : "the Service is not there",
    ),
  ];
}

export const apiServiceStep = kubeStep({
  id: "api-service",
  risky: true,
  async render(ctx, kube) {
    const refusals: string[] = [];
    if (!(await kube.serves("metallb.io/v1beta1", "IPAddressPool")))
      refusals.push("MetalLB is not installed: apply the metallb and pool steps first");
    return {
      manifests: [apiHealthDaemonSet(), apiService(ctx.plan)],
      refusals,
      notes: {
        [`DaemonSet ${SETUP_NAMES.namespace}/${SETUP_NAMES.daemonSet}`]:
          "each server's pod is ready only while its apiserver answers /readyz: the VIP path follows apiserver health",
        [`Service ${SETUP_NAMES.namespace}/${SETUP_NAMES.service}`]:
          "Calico advertises the VIP /128 from each server with a ready endpoint (externalTrafficPolicy Local)",
      },
    };
  },
  async settle(ctx) {
    // The DaemonSet's pods turn ready as their probes pass; MetalLB assigns the VIP.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !ctx.signal.aborted) {
      if (serviceChecks(ctx).every((c) => c.ok))
        return ctx.progress("the VIP is assigned and every server's endpoint is ready");
      await new Promise((r) => setTimeout(r, 500));
    }
  },
  async verify(ctx) {
    await ctx.refresh("router");
    const version = ctx.cluster()?.calico.version;
    const warning = calicoVersionWarning(version);
    return [
      ...serviceChecks(ctx),
      ...auditChecks(ctx, ["vip-paths-follow-ready-endpoints"]),
      await throughVip(ctx),
      check(
        "calico-honours-readiness",
        "Calico withdraws the VIP from a server whose apiserver is not ready",
        version !== undefined && !warning,
        warning?.message ??
          (version
            ? `Calico ${version} advertises eTP=Local /128s only from nodes with a ready endpoint`
            : "Calico's version is not known"),
        "warning",
      ),
    ];
  },
});
