// The `metallb` and `pool` steps: MetalLB's controller from the shipped manifest (CRDs and namespace first, no
// speaker), waited for until its Deployment is available; then the IPAddressPool for the LoadBalancer range.
import {
  type ClusterSnapshot,
  ipAddressPool,
  type Manifest,
  metallbControllerOnly,
  type SetupChange,
  type SetupCheck,
} from "@k3s-ha/shared";
import { check } from "../driver.js";
import type { KubeObjects } from "../kube-objects.js";
import { kubeStep } from "../kube-step.js";
import { loadMetalLbManifest } from "../metallb-manifest.js";

const NS = "metallb-system";

/** What the step shows but never writes: the speaker's parts and the advertisements, each with its reason. */
function leftOut(skipped: { object: string; why: string }[]): SetupChange[] {
  const none = (object: string, why: string): SetupChange => ({
    kind: "kubernetes",
    target: "kubernetes",
    object,
    action: "skip",
    diff: "",
    note: `not applied: ${why}`,
  });
  return [
    ...skipped.map((s) => none(s.object.replace("/", " "), s.why)),
    none(
      "L2Advertisement (none)",
      "no speaker announces it, and with speakers it competes for neighbour discovery",
    ),
    none("BGPAdvertisement (none)", "Calico advertises the VIP, not MetalLB"),
  ];
}

async function controllerAvailable(kube: KubeObjects): Promise<{ ok: boolean; evidence: string }> {
  const d = await kube.get({
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "controller", namespace: NS },
  });
  if (!d) return { ok: false, evidence: "no Deployment metallb-system/controller" };
  const st = (d.status ?? {}) as { availableReplicas?: number; readyReplicas?: number; replicas?: number };
  const ok = (st.availableReplicas ?? 0) >= 1;
  return {
    ok,
    evidence: `controller: ${st.readyReplicas ?? 0}/${st.replicas ?? 0} ready, ${st.availableReplicas ?? 0} available`,
  };
}

/**
 * `served` is what the API's discovery says now: the cluster source's watch of CRDs the step has just created may
 * lag behind (it looks again, but its next snapshot can come from another change first).
 */
export function metallbChecks(
  cluster: ClusterSnapshot | undefined,
  controller: { ok: boolean; evidence: string },
  served: boolean,
): SetupCheck[] {
  const mb = cluster?.metallb;
  return [
    check("metallb-controller", "MetalLB's controller is available", controller.ok, controller.evidence),
    check(
      "metallb-crds",
      "MetalLB's CRDs are served",
      served,
      served
        ? "the API serves metallb.io/v1beta1 IPAddressPool"
        : "the API does not serve metallb.io/v1beta1 IPAddressPool",
    ),
    check(
      "metallb-no-speaker",
      "No MetalLB speaker runs",
      (mb?.speakers.length ?? 0) === 0,
      mb?.speakers.length ? `speaker pods: ${mb.speakers.map((p) => p.name).join(", ")}` : "no speaker pods",
    ),
    check(
      "metallb-no-advertisements",
      "No L2Advertisement or BGPAdvertisement",
      (mb?.l2Advertisements.length ?? 0) + (mb?.bgpAdvertisements.length ?? 0) === 0,
      `L2Advertisements: ${mb?.l2Advertisements.join(", ") || "none"}; BGPAdvertisements: ${mb?.bgpAdvertisements.join(", ") || "none"}`,
    ),
  ];
}

export const metallbStep = kubeStep({
  id: "metallb",
  risky: false,
  async render() {
    const m = loadMetalLbManifest();
    const { apply, skipped } = metallbControllerOnly(m.docs);
    const notes: Record<string, string> = {};
    for (const d of apply)
      if (d.kind === "CustomResourceDefinition")
        notes[`${d.kind} ${d.metadata.name}`] = "CRDs first: the pool's dry-run needs them";
    return { manifests: apply, refusals: [], notes, extra: leftOut(skipped) };
  },
  async settle(ctx, kube) {
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && !ctx.signal.aborted) {
      const c = await controllerAvailable(kube);
      if (c.ok) return ctx.progress(c.evidence);
      await new Promise((r) => setTimeout(r, 500));
    }
  },
  async verify(ctx) {
    await ctx.refresh("cluster");
    const kube = await ctx.kube();
    kube.rediscover();
    const served = await kube.serves("metallb.io/v1beta1", "IPAddressPool");
    return metallbChecks(ctx.cluster(), await controllerAvailable(kube), served);
  },
});

const poolManifest = (ctx: { plan: Parameters<typeof ipAddressPool>[0] }): Manifest =>
  ipAddressPool(ctx.plan);

export const poolStep = kubeStep({
  id: "pool",
  risky: false,
  async render(ctx, kube) {
    const refusals: string[] = [];
    if (!(await kube.serves("metallb.io/v1beta1", "IPAddressPool")))
      refusals.push("MetalLB's CRDs are not installed: apply the metallb step first");
    return { manifests: [poolManifest(ctx)], refusals };
  },
  async verify(ctx) {
    // Read from the API itself: the cluster source's watch of a CRD the setup has just created may lag.
    const kube = await ctx.kube();
    const list = (await kube.access.getJson("/apis/metallb.io/v1beta1/ipaddresspools", {
      verb: "list",
      resource: "ipaddresspools.metallb.io",
    })) as {
      items?: {
        metadata?: { name?: string; namespace?: string };
        spec?: { addresses?: unknown; autoAssign?: unknown };
      }[];
    };
    const pools = (list.items ?? []).map((p) => ({
      name: p.metadata?.name ?? "",
      namespace: p.metadata?.namespace ?? "",
      addresses: Array.isArray(p.spec?.addresses) ? p.spec.addresses.map(String) : [],
      autoAssign: p.spec?.autoAssign !== false,
    }));
    const want = ctx.plan.network.loadBalancerCidr;
    const mine = pools.find((p) => p.addresses.includes(want));
    const overlapping = pools.filter((p) => p !== mine && p.addresses.includes(want));
    return [
      check(
        "pool-range",
        "A pool holds the LoadBalancer range",
        mine !== undefined,
        mine ? `${mine.namespace}/${mine.name}: ${mine.addresses.join(", ")}` : `no pool has ${want}`,
      ),
      check(
        "pool-not-auto-assigned",
        "The pool is not auto-assigned",
        mine?.autoAssign === false,
        mine ? `autoAssign: ${mine.autoAssign}` : "no pool",
        "warning",
      ),
      check(
        "pool-unique",
        "No other pool holds the range",
        overlapping.length === 0,
        overlapping.length ? overlapping.map((p) => `${p.namespace}/${p.name}`).join(", ") : "only one",
      ),
    ];
  },
});
