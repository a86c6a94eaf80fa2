// The `bgp-config` and `bgp-filter` steps: Calico's BGPConfiguration fields for service advertisement (the mesh only
// turned off when pod routing survives it), and the export filter attached to the router's BGPPeer. Calico objects
// are written through projectcalico.org/v3 when Calico's API server serves it, else as the CRDs libcalico-go reads.
import {
  bgpConfiguration,
  bgpFilter,
  bgpPeerFilters,
  type CalicoApi,
  type LiveBgpPeer,
  podRoutingAfter,
  routePolicyAudit,
  routerBgpPeer,
  type SetupCheck,
} from "@k3s-ha/shared";
import type { StepContext } from "../driver.js";
import { check } from "../driver.js";
import type { KubeObjects } from "../kube-objects.js";
import { kubeStep } from "../kube-step.js";

export async function calicoApi(kube: KubeObjects): Promise<CalicoApi> {
  return (await kube.serves("projectcalico.org/v3", "BGPConfiguration"))
    ? "projectcalico.org/v3"
    : "crd.projectcalico.org/v1";
}

/** Whether this Calico's BGPFilter schema has `source` (v3.31.7 and later read it; older ones drop the rule). */
export async function filterHasSource(kube: KubeObjects): Promise<boolean> {
  const crd = await kube.get({
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "bgpfilters.crd.projectcalico.org" },
  });
  const versions = ((crd?.spec as { versions?: unknown[] })?.versions ?? []) as {
    schema?: {
      openAPIV3Schema?: {
        properties?: {
          spec?: { properties?: { exportV6?: { items?: { properties?: Record<string, unknown> } } } };
        };
      };
    };
  }[];
  return versions.some(
    (v) =>
      v.schema?.openAPIV3Schema?.properties?.spec?.properties?.exportV6?.items?.properties?.source !==
      undefined,
  );
}

export async function liveBgpPeers(kube: KubeObjects, api: CalicoApi): Promise<LiveBgpPeer[]> {
  const list = (await kube.access.getJson(`/apis/${api}/bgppeers`, {
    verb: "list",
    resource: "bgppeers",
  })) as {
    items?: { metadata?: { name?: string }; spec?: Record<string, unknown> }[];
  };
  return (list.items ?? []).map((p) => ({
    name: p.metadata?.name ?? "",
    ...(typeof p.spec?.peerIP === "string" ? { peerIP: p.spec.peerIP } : {}),
    ...(typeof p.spec?.node === "string" && p.spec.node ? { node: p.spec.node } : {}),
    ...(typeof p.spec?.nodeSelector === "string" ? { nodeSelector: p.spec.nodeSelector } : {}),
    filters: Array.isArray(p.spec?.filters) ? p.spec.filters.map(String) : [],
  }));
}

/** Route-policy audit checks as setup checks (a check the audit cannot decide is a failure with the reason). */
export function auditChecks(ctx: StepContext, ids: readonly string[]): SetupCheck[] {
  const router = ctx.router();
  const cluster = ctx.cluster();
  const checks = routePolicyAudit({
    plan: ctx.plan,
    router: router ? { data: router } : { unavailable: "the router has not been read yet" },
    cluster: cluster ? { data: cluster } : { unavailable: "the cluster has not been read yet" },
  });
  return ids.map((id) => {
    const c = checks.find((x) => x.id === id);
    if (!c) return check(id, id, false, "the route-policy audit has no such check");
    const evidence = [c.message, ...c.evidence.map((e) => e.text)].join(" — ");
    return check(id, c.title, c.status === "pass", evidence, c.severity === "error" ? "error" : "warning");
  });
}

export const bgpConfigStep = kubeStep({
  id: "bgp-config",
  risky: true,
  async render(ctx, kube) {
    const api = await calicoApi(kube);
    const refusals: string[] = [];
    const routing = podRoutingAfter(ctx.plan, ctx.plan.bgp.nodeToNodeMesh);
    if (!routing.ok) refusals.push(`bgp.nodeToNodeMesh false is refused: ${routing.reason}`);
    const m = bgpConfiguration(ctx.plan, api);
    return {
      manifests: [m],
      refusals,
      notes: {
        "BGPConfiguration default":
          "Calico advertises the ClusterIP range and the LoadBalancer range; eTP=Local /128s only from nodes with a local endpoint",
      },
    };
  },
  async verify(ctx) {
    await ctx.refresh("router");
    const cfg = ctx.cluster()?.calico.bgpConfigurations.find((c) => c.name === "default");
    const lb =
      (cfg?.spec.serviceLoadBalancerIPs as { cidr?: string }[] | undefined)?.map((c) => c.cidr) ?? [];
    return [
      check(
        "bgp-config-lb-range",
        "Calico advertises the LoadBalancer range",
        lb.includes(ctx.plan.network.loadBalancerCidr),
        cfg ? `serviceLoadBalancerIPs: ${lb.join(", ") || "none"}` : "no BGPConfiguration default",
      ),
      ...auditChecks(ctx, ["service-range-learned", "sessions-established"]),
    ];
  },
});

export const bgpFilterStep = kubeStep({
  id: "bgp-filter",
  risky: true,
  async render(ctx, kube) {
    const api = await calicoApi(kube);
    const hasSource = await filterHasSource(kube);
    const peer = routerBgpPeer(ctx.plan, await liveBgpPeers(kube, api));
    const refusals = peer
      ? []
      : [
          `no global BGPPeer peers with the router ${ctx.plan.bgp.router.address}: the filter would attach to nothing`,
        ];
    const filter = bgpFilter(ctx.plan, api, hasSource);
    return {
      manifests: peer ? [filter, bgpPeerFilters(peer, api)] : [filter],
      refusals,
      notes: {
        [`BGPFilter ${filter.metadata.name}`]: hasSource
          ? "pod blocks and LoadBalancer /128s relayed from other nodes are not exported to the router"
          : "this Calico's BGPFilter has no `source`: relayed /128s cannot be filtered (upgrade Calico)",
        ...(peer
          ? {
              [`BGPPeer ${peer.name}`]:
                "attaches the filter (filters apply to explicit peers only, never to the mesh)",
            }
          : {}),
      },
    };
  },
  async verify(ctx) {
    await ctx.refresh("router");
    const kube = await ctx.kube();
    const api = await calicoApi(kube);
    const peer = routerBgpPeer(ctx.plan, await liveBgpPeers(kube, api));
    const attached = peer?.filters.includes("reject-pod-routes") === true;
    return [
      check(
        "bgp-filter-attached",
        "The filter is attached to the router's BGPPeer",
        attached,
        peer
          ? `BGPPeer ${peer.name} filters: ${peer.filters.join(", ") || "none"}`
          : "no BGPPeer for the router",
      ),
      ...auditChecks(ctx, ["no-pod-routes", "sessions-established"]),
    ];
  },
});
