// kube-proxy's external drop rules (externalTrafficPolicy Local): which node drops which LoadBalancer IP:port.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../kube/index.js";
import { externalDrops, KUBE_PROXY_TABLE, renderKubeProxyNft } from "./kube-proxy.js";

const VIP = "2001:db8:1::100";
const service = (spec: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Service",
  metadata: { name: "api", namespace: "default" },
  spec: {
    type: "LoadBalancer",
    externalTrafficPolicy: "Local",
    ports: [{ name: "https", port: 6443, protocol: "TCP" }],
    ...spec,
  },
  status: { loadBalancer: { ingress: [{ ip: VIP }] } },
});
const slice = (endpoints: unknown[]): KubeObject =>
  ({
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: { name: "api-x", namespace: "default", labels: { "kubernetes.io/service-name": "api" } },
    endpoints,
  }) as KubeObject;
const ep = (nodeName: string, conditions: Record<string, boolean>) => ({
  addresses: ["2001:db8:1::11"],
  nodeName,
  conditions,
});

describe("kube-proxy external drops (eTP Local)", () => {
  const slices = [
    slice([
      ep("node01", { ready: true, serving: true, terminating: false }),
      ep("node02", { ready: false, serving: false, terminating: false }),
      ep("node03", { ready: false, serving: true, terminating: true }),
    ]),
  ];

  it("drops the LB IP:port on a node whose only endpoint is not ready, and on a node with none", () => {
    expect(externalDrops([service()], slices, "node02")).toEqual([
      { ip: VIP, port: 6443, protocol: "tcp", comment: "default/api:https has no local endpoints" },
    ]);
    expect(externalDrops([service()], slices, "node04")).toHaveLength(1);
  });

  it("keeps traffic on a node with a ready endpoint, or a serving terminating one when none is ready (KEP-1669)", () => {
    expect(externalDrops([service()], slices, "node01")).toEqual([]);
    expect(externalDrops([service()], slices, "node03")).toEqual([]);
  });

  it("treats an endpoint without a ready condition as ready, as the API says", () => {
    expect(externalDrops([service()], [slice([{ addresses: ["x"], nodeName: "node02" }])], "node02")).toEqual(
      [],
    );
  });

  it("leaves eTP Cluster services and services of other types alone; covers externalIPs", () => {
    expect(externalDrops([service({ externalTrafficPolicy: "Cluster" })], slices, "node02")).toEqual([]);
    expect(externalDrops([service({ type: "ClusterIP" })], slices, "node02")).toEqual([]);
    const ext = externalDrops([service({ externalIPs: ["2001:db8:2::5"] })], slices, "node02");
    expect(ext.map((r) => r.ip)).toEqual(["2001:db8:1::100", "2001:db8:2::5"]);
  });

  it("renders one atomic nft script that replaces the table (an empty chain when nothing is dropped)", () => {
    const text = renderKubeProxyNft(externalDrops([service()], slices, "node02"));
    expect(text.split("\n").slice(0, 3)).toEqual([
      `table inet ${KUBE_PROXY_TABLE}`,
      `delete table inet ${KUBE_PROXY_TABLE}`,
      `table inet ${KUBE_PROXY_TABLE} {`,
    ]);
    expect(text).toContain(
      `ip6 daddr ${VIP} tcp dport 6443 counter drop comment "default/api:https has no local endpoints"`,
    );
    expect(text).toContain("type filter hook prerouting priority -110; policy accept;");
    expect(renderKubeProxyNft([])).not.toContain("drop");
  });
});
