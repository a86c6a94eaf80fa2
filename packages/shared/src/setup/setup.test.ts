// The setup's pure parts: the step order per option, what the manifests say, the pod-routing guard, the live match
// and the preview diff.
import { describe, expect, it } from "vitest";
import { labPlan } from "../plan/lint/test-plan.js";
import { lineDiff } from "./line-diff.js";
import { holds, liveThrough } from "./live-match.js";
import {
  apiHealthDaemonSet,
  apiService,
  bgpConfiguration,
  bgpFilter,
  bgpPeerFilters,
  ipAddressPool,
  type Manifest,
  metallbControllerOnly,
  routerBgpPeer,
} from "./manifests.js";
import { podRoutingAfter } from "./mesh.js";
import { SETUP_STEPS, setupSteps } from "./steps.js";

describe("setup steps", () => {
  it("lists each option's steps in order, and shared steps once when both are taken", () => {
    expect(setupSteps("vip").map((s) => s.id)).toEqual([
      "preflight",
      "metallb",
      "pool",
      "bgp-config",
      "bgp-filter",
      "router",
      "apiserver-config",
      "api-service",
      "dns-vip",
      "kubeconfig",
    ]);
    expect(setupSteps("dns").map((s) => s.id)).toEqual([
      "preflight",
      "dns-round-robin",
      "apiserver-config",
      "kubeconfig",
      "join-command",
    ]);
    const both = setupSteps().map((s) => s.id);
    expect(both.filter((id) => id === "apiserver-config")).toHaveLength(1);
    expect(both).toHaveLength(12);
  });

  it("marks every step that restarts, changes BGP or DNS as risky", () => {
    const risky = Object.values(SETUP_STEPS)
      .filter((s) => s.risky)
      .map((s) => s.id)
      .sort();
    expect(risky).toEqual([
      "api-service",
      "apiserver-config",
      "bgp-config",
      "bgp-filter",
      "dns-round-robin",
      "dns-vip",
      "router",
    ]);
  });
});

describe("option 1 manifests", () => {
  const plan = labPlan();

  it("pools the LoadBalancer range, never auto-assigned", () => {
    expect(ipAddressPool(plan).spec).toEqual({
      addresses: ["2001:db8:1162:79fb:ff01::/112"],
      autoAssign: false,
    });
  });

  it("advertises both service ranges and keeps the mesh as planned", () => {
    expect(bgpConfiguration(plan, "crd.projectcalico.org/v1").spec).toEqual({
      asNumber: 65010,
      nodeToNodeMeshEnabled: true,
      serviceClusterIPs: [{ cidr: "2001:db8:1162:79fb:ff00::/112" }],
      serviceLoadBalancerIPs: [{ cidr: "2001:db8:1162:79fb:ff01::/112" }],
    });
  });

  it("rejects pod blocks and relayed LoadBalancer /128s, the latter only where the schema has `source`", () => {
    const withSource = bgpFilter(plan, "crd.projectcalico.org/v1", true).spec as { exportV6: unknown[] };
    expect(withSource.exportV6).toEqual([
      { action: "Reject", matchOperator: "In", cidr: "2001:db8:1162:79fb:ffcc::/112" },
      {
        action: "Reject",
        matchOperator: "In",
        cidr: "2001:db8:1162:79fb:ff01::/112",
        source: "RemotePeers",
      },
    ]);
    const without = bgpFilter(plan, "crd.projectcalico.org/v1", false).spec as { exportV6: unknown[] };
    expect(without.exportV6).toHaveLength(1);
  });

  it("finds the router's global BGPPeer by address in any spelling and keeps its other filters", () => {
    const nodeOnly = { name: "node-only", peerIP: "2001:db8:1162:79fb::1", node: "node01", filters: [] };
    const global = { name: "router", peerIP: "[2001:DB8:1162:79FB:0::1]:179", filters: ["keep-me"] };
    const peer = routerBgpPeer(plan, [nodeOnly, global]);
    expect(peer).toBe(global);
    expect(bgpPeerFilters(global, "crd.projectcalico.org/v1").spec).toEqual({
      filters: ["keep-me", "reject-pod-routes"],
    });
    expect(routerBgpPeer(plan, [nodeOnly])).toBeUndefined();
  });

  it("serves the VIP by MetalLB's current annotation on an IPv6 single-stack eTP Local Service", () => {
    const svc = apiService(plan);
    expect(svc.metadata.annotations).toEqual({ "metallb.io/loadBalancerIPs": "2001:db8:1162:79fb:ff01::1" });
    expect(svc.spec).toMatchObject({
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      ipFamilies: ["IPv6"],
      ipFamilyPolicy: "SingleStack",
      selector: { app: "kubernetes-api-vip" },
    });
    expect(JSON.stringify(svc)).not.toContain('loadBalancerIP"');
  });

  it("runs the health DaemonSet on the servers' host network with /readyz as its readiness", () => {
    const ds = apiHealthDaemonSet();
    const pod = (ds.spec as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(pod.hostNetwork).toBe(true);
    expect(pod.nodeSelector).toEqual({ "node-role.kubernetes.io/control-plane": "true" });
    const c = (pod.containers as { image: string; readinessProbe: unknown }[])[0];
    expect(c?.image).toBe("docker.io/rancher/mirrored-pause:3.6");
    expect(c?.readinessProbe).toMatchObject({ httpGet: { path: "/readyz", port: 6443, scheme: "HTTPS" } });
  });

  it("takes MetalLB's controller without the speaker, namespace and CRDs first", () => {
    const doc = (kind: string, name: string): Manifest => ({ apiVersion: "v1", kind, metadata: { name } });
    const { apply, skipped } = metallbControllerOnly([
      doc("ServiceAccount", "controller"),
      doc("DaemonSet", "speaker"),
      doc("CustomResourceDefinition", "ipaddresspools.metallb.io"),
      doc("Deployment", "controller"),
      doc("Namespace", "metallb-system"),
      doc("Role", "pod-lister"),
    ]);
    expect(apply.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      "Namespace/metallb-system",
      "CustomResourceDefinition/ipaddresspools.metallb.io",
      "ServiceAccount/controller",
      "Deployment/controller",
    ]);
    expect(skipped.map((s) => s.object)).toEqual(["DaemonSet/speaker", "Role/pod-lister"]);
    expect(skipped[0]?.why).toContain("second BGP session");
  });
});

describe("pod routing guard", () => {
  it("refuses the mesh off with pod routes filtered from the only peer and no encapsulation", () => {
    const plan = labPlan();
    expect(podRoutingAfter(plan, true).ok).toBe(true);
    const off = podRoutingAfter(plan, false);
    expect(off.ok).toBe(false);
    expect(off.reason).toContain("pod-to-pod traffic across nodes would break");
    expect(
      podRoutingAfter(
        labPlan((p) => (p.bgp.podEncapsulation = "VXLAN")),
        false,
      ).ok,
    ).toBe(true);
    expect(
      podRoutingAfter(
        labPlan((p) => (p.bgp.podEncapsulation = "IPIP")),
        false,
      ).reason,
    ).toContain("IPIP is IPv4-only");
    expect(
      podRoutingAfter(
        labPlan((p) => (p.bgp.rejectPodRoutes = false)),
        false,
      ).ok,
    ).toBe(true);
  });
});

describe("live match", () => {
  const wanted = { spec: { ports: [{ port: 6443, targetPort: 6443 }], type: "LoadBalancer" } };
  const live = {
    metadata: { uid: "x" },
    spec: {
      ports: [{ port: 6443, targetPort: 6443, protocol: "TCP", nodePort: 31000 }],
      type: "LoadBalancer",
    },
  };

  it("ignores defaults and others' fields, but not a changed or missing value or an extra list element", () => {
    expect(holds(live, wanted)).toBe(true);
    expect(holds({ spec: { ...live.spec, type: "ClusterIP" } }, wanted)).toBe(false);
    expect(holds({ spec: { type: "LoadBalancer" } }, wanted)).toBe(false);
    expect(holds({ spec: { ...live.spec, ports: [...live.spec.ports, { port: 1 }] } }, wanted)).toBe(false);
    expect(holds(undefined, wanted)).toBe(false);
    expect(holds({ a: 1 }, { a: 1, b: null })).toBe(true);
    expect(holds({ a: 1, b: 2 }, { a: 1, b: null })).toBe(false);
  });

  it("shows live through the written shape, extra list elements whole", () => {
    expect(liveThrough(live, wanted)).toEqual({
      spec: { ports: [{ port: 6443, targetPort: 6443 }], type: "LoadBalancer" },
    });
    expect(liveThrough({ spec: { ports: [{ port: 1 }, { port: 2, x: 1 }] } }, wanted)).toEqual({
      spec: { ports: [{ port: 1 }, { port: 2, x: 1 }] },
    });
  });
});

describe("line diff", () => {
  it("marks added and removed lines and keeps the common ones", () => {
    expect(lineDiff("a\nb\nc\n", "a\nx\nc\n")).toBe(" a\n-b\n+x\n c");
    expect(lineDiff("", "a\n")).toBe("+a");
    expect(lineDiff("same\n", "same\n")).toBe("");
  });
});
