// From API objects to the renderer's input: node addresses and labels, endpoint readiness, no config yet.
import { describe, expect, it } from "vitest";
import type { KubeObject } from "../kube/index.js";
import { labTopology, type NodeSpec } from "../topology.js";
import { inputFromObjects } from "./inputs.js";
import { renderCalicoBird } from "./render.js";

const t = labTopology("lab");
const node01 = t.nodes[0] as NodeSpec;
const empty = {
  nodes: [],
  bgpConfigurations: [],
  bgpPeers: [],
  bgpFilters: [],
  services: [],
  endpointSlices: [],
};
const config = {
  apiVersion: "crd.projectcalico.org/v1",
  kind: "BGPConfiguration",
  metadata: { name: "default" },
  spec: { asNumber: 65010, nodeToNodeMeshEnabled: true, serviceClusterIPs: [{ cidr: t.serviceCidr }] },
} as KubeObject;

describe("inputFromObjects", () => {
  it("is undefined until BGPConfiguration default exists (BIRD keeps the static configuration)", () => {
    expect(inputFromObjects(t, node01, empty, false)).toBeUndefined();
  });

  it("takes node addresses (InternalIP) and labels, and endpoint readiness (unset = ready) from the objects", () => {
    const nodes = t.nodes.map(
      (n) =>
        ({
          apiVersion: "v1",
          kind: "Node",
          metadata: {
            name: n.name,
            labels: { "kubernetes.io/hostname": n.name, zone: n.name === "node01" ? "a" : "b" },
          },
          status: { addresses: [{ type: "InternalIP", address: n.address }] },
        }) as KubeObject,
    );
    const slice = {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: { name: "s", namespace: "default", labels: { "kubernetes.io/service-name": "svc" } },
      endpoints: [
        { addresses: [node01.address], nodeName: "node01" },
        { addresses: [t.nodes[1]?.address], nodeName: "node02", conditions: { ready: false } },
      ],
    } as unknown as KubeObject;
    const input = inputFromObjects(
      t,
      node01,
      { ...empty, nodes, bgpConfigurations: [config], endpointSlices: [slice] },
      true,
    );
    expect(input?.node.labels.zone).toBe("a");
    expect(input?.nodes.map((n) => n.address)).toEqual(t.nodes.map((n) => n.address));
    expect(input?.endpointSlices[0]?.endpoints).toEqual([
      { addresses: [node01.address], nodeName: "node01" },
      { addresses: [t.nodes[1]?.address], nodeName: "node02", ready: false },
    ]);
    const text = renderCalicoBird(input ?? ({} as never));
    expect(text).toContain("# No global peers configured.");
    expect(text.match(/protocol bgp Mesh_/g)).toHaveLength(2);
  });

  it("refuses loudly the BGPPeer and BGPFilter fields it does not render, rather than widening a filter", () => {
    const peer = (spec: Record<string, unknown>) =>
      ({
        apiVersion: "crd.projectcalico.org/v1",
        kind: "BGPPeer",
        metadata: { name: "router" },
        spec,
      }) as KubeObject;
    const filter = (rule: Record<string, unknown>) =>
      ({
        apiVersion: "crd.projectcalico.org/v1",
        kind: "BGPFilter",
        metadata: { name: "f" },
        spec: { exportV6: [{ action: "Reject", matchOperator: "In", cidr: t.podCidr, ...rule }] },
      }) as KubeObject;
    type Objects = Parameters<typeof inputFromObjects>[2];
    const input = (objects: Partial<Objects>) =>
      inputFromObjects(t, node01, { ...empty, bgpConfigurations: [config], ...objects } as Objects, false);
    expect(
      input({ bgpPeers: [peer({ peerIP: t.router.address, asNumber: 65101 })], bgpFilters: [filter({})] }),
    ).toBeDefined();
    expect(() =>
      input({ bgpPeers: [peer({ peerIP: t.router.address, password: { secretKeyRef: {} } })] }),
    ).toThrow("BGPPeer router: spec.password");
    for (const field of ["communities", "asPathPrefix", "priority", "operations", "peerType"]) {
      expect(() => input({ bgpFilters: [filter({ [field]: "x" })] })).toThrow(
        `BGPFilter f: spec.exportV6[0].${field}`,
      );
    }
    expect(() =>
      input({
        bgpPeers: [
          peer({ peerIP: t.router.address, ttlSecurity: 1, maxRestartTime: "120s", localASNumber: 1 }),
        ],
      }),
    ).toThrow(/spec\.ttlSecurity, .*spec\.maxRestartTime, .*spec\.localASNumber/);
  });
});
