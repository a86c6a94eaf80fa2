// Test fixture: the plan of examples/design-document.yaml as the server sends it, and some of its findings.
import { type Finding, type Plan, type PlanResponse, validatePlan } from "@k3s-ha/shared";

const hostKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB7XKPrMJ6d3IsMfWej5GlaSymaaGqhlT0pzanLAGQc+";
const node = (i: number) => ({
  name: `k8s-node0${i}`,
  address: `2001:db8:1162:79fb:a:b:c:${i}`,
  role: "server",
  ssh: { user: "root", hostKey },
});

function designDocumentPlan(): Plan {
  const result = validatePlan({
    apiVersion: "k3s-ha/v1",
    kind: "Plan",
    metadata: { name: "design-document", description: "k3s control plane HA options, Option 1 as written." },
    network: {
      prefix: "2001:db8:1162:79fb::/64",
      hostRange: { from: "2001:db8:1162:79fb::", to: "2001:db8:1162:79fb:ffcb:ffff:ffff:ffff" },
      onLink: true,
      podCidr: "2001:db8:1162:79fb:ffcc::/112",
      serviceCidr: "2001:db8:1162:79fb:ff00::/112",
      clusterDns: "2001:db8:1162:79fb:ff00::10",
      loadBalancerCidr: "2001:db8:1162:79fb:ff01::/112",
      apiVip: "2001:db8:1162:79fb:ff00::100",
    },
    bgp: {
      clusterAsn: 65010,
      router: {
        name: "pfsense",
        address: "2001:db8:1162:79fb::1",
        asn: 65101,
        platform: "pfsense-frr",
        ssh: { user: "admin", hostKey },
      },
      rejectPodRoutes: true,
    },
    nodes: [node(1), node(2), node(3)],
    dns: {
      server: "2001:db8:1162:79fb::1",
      port: 5353,
      zone: "k8s.lzadm.com",
      ttl: 60,
      roundRobinName: "k8s-cluster.k8s.lzadm.com",
      vipName: "k8s-api.k8s.lzadm.com",
      tsig: { name: "ha-console", algorithm: "hmac-sha256", secretFile: "./tsig.key" },
    },
    k3s: {
      tlsSan: [
        "k8s-node01",
        "k8s-node02",
        "k8s-node03",
        "k8s-cluster.k8s.lzadm.com",
        "2001:db8:1162:79fb:ff00::100",
      ],
    },
    kubernetes: { kubeconfig: "~/.kube/config" },
  });
  if (!result.ok) throw new Error(`fixture does not validate: ${JSON.stringify(result.errors)}`);
  return result.plan;
}

export const designDocumentFindings: Finding[] = [
  {
    id: "vip-in-service-range",
    severity: "error",
    message:
      "API VIP 2001:db8:1162:79fb:ff00::100 lies inside the ClusterIP range 2001:db8:1162:79fb:ff00::/112.",
    paths: ["network.apiVip", "network.serviceCidr"],
    fix: "Take the VIP from the LoadBalancer range.",
  },
  {
    id: "tls-san-missing-vip-name",
    severity: "error",
    message: "k3s.tlsSan lacks k8s-api.k8s.lzadm.com.",
    paths: ["k3s.tlsSan", "dns.vipName"],
    fix: "Add it to tls-san and rotate the certificate.",
  },
  {
    id: "on-link-pod-range",
    severity: "warning",
    message: "The pod range sits inside the on-link /64.",
    paths: ["network.podCidr", "network.prefix", "network.onLink"],
    fix: "Turn the on-link flag off.",
  },
  {
    id: "node-address",
    severity: "info",
    message: "Node k8s-node02 is outside the host range's DHCPv6 pool.",
    paths: ["nodes[1]"],
    fix: "Nothing to do.",
  },
];

export function designDocumentResponse(overrides: Partial<PlanResponse> = {}): PlanResponse {
  return {
    plan: designDocumentPlan(),
    findings: designDocumentFindings,
    errors: [],
    source: {
      file: "examples/design-document.yaml",
      status: "ok",
      loadedAt: "2026-05-01T10:00:00.000Z",
      revision: 1,
    },
    ...overrides,
  };
}
