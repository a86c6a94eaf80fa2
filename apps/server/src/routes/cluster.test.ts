// GET /api/cluster: authenticated; the cluster source's last snapshot, and the Calico warning for affected versions.
import { type ClusterSnapshot, clusterResponseSchema } from "@k3s-ha/shared";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_TOKEN, type Harness, startHarness } from "../test/harness.js";

const snapshot = (version: string): ClusterSnapshot => ({
  resources: { nodes: { status: "ok" } },
  nodes: [],
  apiService: null,
  loadBalancerServices: [],
  metallb: {
    installed: false,
    controllers: [],
    speakers: [],
    pools: [],
    l2Advertisements: [],
    bgpAdvertisements: [],
    bgpPeers: [],
  },
  calico: { version, bgpConfigurations: [], bgpPeers: [], bgpFilters: [], nodeStatuses: [] },
});

describe("GET /api/cluster", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h.close());
  const get = () =>
    h.app.inject({ method: "GET", url: "/api/cluster", headers: { authorization: `Bearer ${API_TOKEN}` } });

  it("needs authentication, and answers null before the first snapshot", async () => {
    expect((await h.app.inject({ method: "GET", url: "/api/cluster" })).statusCode).toBe(401);
    expect(clusterResponseSchema.parse((await get()).json())).toEqual({ cluster: null });
  });

  it("warns for Calico v3.32.1 and not for v3.31.7", async () => {
    h.app.hub.update("kubernetes", snapshot("v3.32.1"));
    const warned = clusterResponseSchema.parse((await get()).json());
    expect(warned.calicoWarning?.version).toBe("v3.32.1");
    expect(warned.cluster?.calico.version).toBe("v3.32.1");
    h.app.hub.update("kubernetes", snapshot("v3.31.7"));
    expect(clusterResponseSchema.parse((await get()).json()).calicoWarning).toBeUndefined();
  });
});
