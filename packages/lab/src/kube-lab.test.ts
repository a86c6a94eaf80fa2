// The presets and the CRD install on a store of their own (no lab, no root): what `lab up --preset …` writes.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createKubeApi, type KubeApi, R, seedCluster } from "./kube/index.js";
import { applyPreset, CALICO, kubeconfigServer, PRESET_NAMES } from "./kube-lab.js";
import { installLabCrds, kubeDbFile, labCrdFiles, labCrds } from "./kube-state.js";
import { labTopology } from "./topology.js";

const t = labTopology("presets");
let dir: string;
let kube: KubeApi;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "kube-lab-"));
  kube = createKubeApi({
    dbFile: path.join(dir, "state.db"),
    config: { serviceCidr: t.serviceCidr },
    compactIntervalMs: 0,
  });
  installLabCrds(kube.client, { calico: "v3.31.7", metallb: false });
  seedCluster(kube.client, {
    nodes: t.nodes.map((n) => ({ name: n.name, address: n.address, role: "server" as const })),
    podCidr: t.podCidr,
    metallb: false,
  });
});

afterEach(() => {
  kube.close();
  rmSync(dir, { recursive: true, force: true });
});

function expectNoMetalLb(): void {
  const c = kube.client;
  expect(c.list(R.crds).filter((crd) => crd.metadata.name?.endsWith(".metallb.io"))).toEqual([]);
  expect(() => c.list(R.ipAddressPools)).toThrow(/could not find the requested resource/);
  expect(c.get(R.deployments, "metallb-system", "controller")).toBeUndefined();
  expect(c.list(R.pods, { namespace: "metallb-system" })).toEqual([]);
}

describe("lab CRDs and presets", () => {
  it("puts the shared store under the lab's state dir and installs every CRD once", () => {
    expect(kubeDbFile(t)).toBe(path.join(t.stateDir, "kube", "state.db"));
    const selection = { calico: "v3.31.7", metallb: false } as const;
    expect(installLabCrds(kube.client, selection)).toEqual([]);
    const names = kube.client.list(R.crds).map((c) => c.metadata.name);
    expect(names).toHaveLength(labCrdFiles(selection).length);
    expect(names).toContain("bgpfilters.crd.projectcalico.org");
    expect(names).toContain("caliconodestatuses.crd.projectcalico.org");
    expect(names).toContain("clusterinformations.crd.projectcalico.org");
    expect(names).not.toContain("ipaddresspools.metallb.io");
  });

  it("installs the CRD files of the lab's Calico version, one file per kind", () => {
    const base = (f: string) => path.basename(f);
    for (const [calico, crds] of [
      ["v3.31.7", "v3.31.7"],
      ["v3.32.1", "v3.32.1"],
      ["v3.31.3", "v3.31.7"],
    ] as const) {
      const files = labCrdFiles({ calico, metallb: true }).map(base);
      for (const kind of ["bgpconfigurations", "bgpfilters", "bgppeers"])
        expect(files.filter((f) => f.startsWith(`crd.projectcalico.org_${kind}@`))).toEqual([
          `crd.projectcalico.org_${kind}@${crds}.libcalico-dir.yaml`,
        ]);
      expect(files.filter((f) => f.startsWith("metallb.io_"))).toHaveLength(6);
      const kinds = files.map((f) => f.replace(/@.*$/, ""));
      expect(new Set(kinds).size).toBe(kinds.length);
    }
    // The v3.32 BGPPeer has keepaliveTime, the v3.31.7 one has not: the schema follows the version.
    const peerSchema = (calico: "v3.31.7" | "v3.32.1") =>
      JSON.stringify(
        labCrds({ calico, metallb: false }).find((c) => c.metadata.name === "bgppeers.crd.projectcalico.org"),
      );
    expect(peerSchema("v3.32.1")).toContain("keepaliveTime");
    expect(peerSchema("v3.31.7")).not.toContain("keepaliveTime");
  });

  it("writes `before`: mesh on, router peer without filters, nothing of option 1", () => {
    applyPreset(kube.client, t, "before");
    const c = kube.client;
    const conf = c.get(CALICO.bgpConfigurations, undefined, "default");
    expect(conf?.apiVersion).toBe("crd.projectcalico.org/v1");
    expect(conf?.metadata.annotations?.["projectcalico.org/metadata"]).toMatch(/"creationTimestamp"/);
    expect(conf?.spec).toMatchObject({
      asNumber: 65010,
      nodeToNodeMeshEnabled: true,
      serviceClusterIPs: [{ cidr: t.serviceCidr }],
    });
    expect(c.get(CALICO.bgpPeers, undefined, PRESET_NAMES.bgpPeer)?.spec).toEqual({
      peerIP: t.router.address,
      asNumber: 65101,
    });
    expect(c.list(CALICO.bgpFilters)).toEqual([]);
    // The document's starting point has no MetalLB at all: no CRDs (a pool dry-run answers 404), no controller.
    expectNoMetalLb();
    expect(c.get(R.services, "default", PRESET_NAMES.service)).toBeUndefined();
    expect(kubeconfigServer(t, "before")).toBe(`https://[${t.nodes[0]?.address}]:6443`);
  });

  it("writes `vip` and takes it back with `before` (switching a running lab)", () => {
    const c = kube.client;
    applyPreset(c, t, "vip");
    applyPreset(c, t, "vip");
    expect(c.get(CALICO.bgpConfigurations, undefined, "default")?.spec).toMatchObject({
      serviceLoadBalancerIPs: [{ cidr: t.loadBalancerCidr }],
    });
    expect(c.get(CALICO.bgpPeers, undefined, PRESET_NAMES.bgpPeer)?.spec).toMatchObject({
      filters: [PRESET_NAMES.bgpFilter],
    });
    expect(c.get(CALICO.bgpFilters, undefined, PRESET_NAMES.bgpFilter)?.spec).toEqual({
      exportV6: [
        { action: "Reject", matchOperator: "In", cidr: t.podCidr },
        { action: "Reject", matchOperator: "In", cidr: t.loadBalancerCidr, source: "RemotePeers" },
      ],
    });
    // MetalLB as its manifest installs it: CRDs, then the controller Deployment with its pod (no speaker).
    expect(c.get(R.crds, undefined, "ipaddresspools.metallb.io")).toBeDefined();
    expect(c.get(R.deployments, "metallb-system", "controller")).toBeDefined();
    expect(c.list(R.pods, { namespace: "metallb-system" })).toHaveLength(1);
    expect(c.list(R.daemonsets, { namespace: "metallb-system" })).toEqual([]);
    expect(c.get(R.ipAddressPools, "metallb-system", PRESET_NAMES.pool)?.spec).toMatchObject({
      addresses: [t.loadBalancerCidr],
    });
    const svc = c.get(R.services, "default", PRESET_NAMES.service);
    expect(svc?.metadata.annotations?.["metallb.io/loadBalancerIPs"]).toBe(t.vip);
    expect(svc?.spec).toMatchObject({
      type: "LoadBalancer",
      externalTrafficPolicy: "Local",
      selector: PRESET_NAMES.podLabels,
    });
    const pods = c.list(R.pods, { namespace: "default", labelSelector: "app=kubernetes-api-vip" });
    expect(pods.map((p) => (p.spec as { nodeName: string }).nodeName).sort()).toEqual([
      "node01",
      "node02",
      "node03",
    ]);
    for (const p of pods) expect(p.spec).toMatchObject({ hostNetwork: true });
    expect(kubeconfigServer(t, "vip")).toBe(`https://[${t.vip}]:6443`);

    applyPreset(c, t, "before");
    expect(c.get(CALICO.bgpPeers, undefined, PRESET_NAMES.bgpPeer)?.spec).toEqual({
      peerIP: t.router.address,
      asNumber: 65101,
    });
    expect(c.get(CALICO.bgpConfigurations, undefined, "default")?.spec).not.toHaveProperty(
      "serviceLoadBalancerIPs",
    );
    expect(c.list(CALICO.bgpFilters)).toEqual([]);
    expectNoMetalLb();
    expect(c.get(R.daemonsets, "default", PRESET_NAMES.daemonSet)).toBeUndefined();
    expect(c.list(R.pods, { namespace: "default" })).toEqual([]);
  });
});
