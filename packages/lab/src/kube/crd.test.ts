// CustomResourceDefinitions installed from the MetalLB and Calico CRD files: discovery, CustomObjectsApi CRUD,
// structural-schema validation (422 with causes), pruning, the status subresource, apply, watch and CRD removal.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type V1CustomResourceDefinition,
  Watch,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { rawRequest, rejection, startCluster, statusOf, type TestCluster, waitFor } from "./testkit/index.js";

const CRDS = "/work/shared/reference/crds";
const crdFiles = [
  ...readdirSync(path.join(CRDS, "metallb"))
    .filter((f) => f.endsWith("@v0.15.3.yaml"))
    .map((f) => path.join(CRDS, "metallb", f)),
  ...["bgpconfigurations", "bgpfilters", "bgppeers"].map((k) =>
    path.join(CRDS, "calico", `crd.projectcalico.org_${k}@v3.32.1.libcalico-dir.yaml`),
  ),
  path.join(CRDS, "calico", "crd.projectcalico.org_caliconodestatuses@v3.31.7.libcalico-dir.yaml"),
];

let cluster: TestCluster;
let custom: CustomObjectsApi;
const MB = { group: "metallb.io", version: "v1beta1" };
const CALICO = { group: "crd.projectcalico.org", version: "v1" };

beforeAll(async () => {
  cluster = await startCluster(2);
  const ext = cluster.kc(0).makeApiClient(ApiextensionsV1Api);
  for (const file of crdFiles)
    await ext.createCustomResourceDefinition({
      body: parse(readFileSync(file, "utf8")) as V1CustomResourceDefinition,
    });
  await cluster.servers[0]?.kube.client.create(
    { group: "", version: "v1", resource: "namespaces" },
    { metadata: { name: "metallb-system" } },
  );
  custom = cluster.kc(1).makeApiClient(CustomObjectsApi);
});
afterAll(() => cluster.stop());

describe("installing CRDs", () => {
  it("marks every CRD Established and NamesAccepted with its stored version", async () => {
    const ext = cluster.kc(1).makeApiClient(ApiextensionsV1Api);
    const crd = await ext.readCustomResourceDefinition({ name: "ipaddresspools.metallb.io" });
    expect(crd.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      "NamesAccepted=True",
      "Established=True",
    ]);
    expect(crd.status?.storedVersions).toEqual(["v1beta1"]);
    expect(crd.status?.acceptedNames?.kind).toBe("IPAddressPool");
    expect((await ext.listCustomResourceDefinition()).items).toHaveLength(crdFiles.length);
  });

  it("adds the groups to discovery on every API server, with scope and versions", async () => {
    const url = cluster.servers[1]?.url ?? "";
    const mb = (await rawRequest(url, cluster.certs, { path: "/apis/metallb.io/v1beta1" })).json() as {
      resources: Array<{ name: string; namespaced: boolean; kind: string }>;
    };
    expect(mb.resources.find((r) => r.name === "ipaddresspools")).toMatchObject({
      namespaced: true,
      kind: "IPAddressPool",
    });
    expect(mb.resources.find((r) => r.name === "ipaddresspools/status")).toBeTruthy();
    const bgpPeers = (await rawRequest(url, cluster.certs, { path: "/apis/metallb.io" })).json() as {
      versions: Array<{ version: string }>;
      preferredVersion: { version: string };
    };
    expect(bgpPeers.versions.map((v) => v.version).sort()).toEqual(["v1beta1", "v1beta2"]);
    const calico = (
      await rawRequest(url, cluster.certs, { path: "/apis/crd.projectcalico.org/v1" })
    ).json() as { resources: Array<{ name: string; namespaced: boolean }> };
    expect(calico.resources.find((r) => r.name === "bgpfilters")).toMatchObject({ namespaced: false });
  });
});

describe("custom resources", () => {
  it("creates, reads, lists, patches and deletes a namespaced IPAddressPool", async () => {
    const body = {
      apiVersion: "metallb.io/v1beta1",
      kind: "IPAddressPool",
      metadata: { name: "vip" },
      spec: { addresses: ["fd00:ff01::/120"] },
    };
    const created = (await custom.createNamespacedCustomObject({
      ...MB,
      namespace: "metallb-system",
      plural: "ipaddresspools",
      body,
    })) as Record<string, unknown>;
    expect(created).toMatchObject({
      kind: "IPAddressPool",
      metadata: { name: "vip", namespace: "metallb-system", generation: 1 },
    });
    const list = (await custom.listNamespacedCustomObject({
      ...MB,
      namespace: "metallb-system",
      plural: "ipaddresspools",
    })) as { kind: string; items: Array<{ kind: string }> };
    expect(list.kind).toBe("IPAddressPoolList");
    expect(list.items[0]?.kind).toBe("IPAddressPool");
    const patched = (await custom.patchNamespacedCustomObject(
      {
        ...MB,
        namespace: "metallb-system",
        plural: "ipaddresspools",
        name: "vip",
        body: { spec: { autoAssign: false } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    )) as { spec: { autoAssign: boolean }; metadata: { generation: number } };
    expect(patched.spec.autoAssign).toBe(false);
    expect(patched.metadata.generation).toBe(2);
    const deleted = await custom.deleteNamespacedCustomObject({
      ...MB,
      namespace: "metallb-system",
      plural: "ipaddresspools",
      name: "vip",
    });
    expect(deleted).toMatchObject({
      kind: "Status",
      status: "Success",
      details: { name: "vip", group: "metallb.io", kind: "ipaddresspools" },
    });
  });

  it("validates against the schema: 422 with Required, type and enum causes", async () => {
    const missing = await rejection(
      custom.createNamespacedCustomObject({
        ...MB,
        namespace: "metallb-system",
        plural: "ipaddresspools",
        body: {
          apiVersion: "metallb.io/v1beta1",
          kind: "IPAddressPool",
          metadata: { name: "bad" },
          spec: {},
        },
      }),
    );
    expect(statusOf(missing)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'IPAddressPool.metallb.io "bad" is invalid: spec.addresses: Required value',
      reason: "Invalid",
      details: {
        name: "bad",
        group: "metallb.io",
        kind: "IPAddressPool",
        causes: [{ reason: "FieldValueRequired", message: "Required value", field: "spec.addresses" }],
      },
      code: 422,
    });
    const wrongType = await rejection(
      custom.createNamespacedCustomObject({
        ...MB,
        namespace: "metallb-system",
        plural: "ipaddresspools",
        body: {
          apiVersion: "metallb.io/v1beta1",
          kind: "IPAddressPool",
          metadata: { name: "bad" },
          spec: { addresses: ["fd00::/120"], autoAssign: "yes" },
        },
      }),
    );
    expect(statusOf(wrongType)).toMatchObject({
      details: {
        causes: [
          {
            reason: "FieldValueTypeInvalid",
            field: "spec.autoAssign",
            message: 'Invalid value: "string": spec.autoAssign in body must be of type boolean: "string"',
          },
        ],
      },
    });
    const badEnum = await rejection(
      custom.createClusterCustomObject({
        ...CALICO,
        plural: "bgpfilters",
        body: {
          apiVersion: "crd.projectcalico.org/v1",
          kind: "BGPFilter",
          metadata: { name: "f" },
          spec: { exportV6: [{ action: "Maybe", cidr: "fd00::/64", matchOperator: "In" }] },
        },
      }),
    );
    expect(statusOf(badEnum)).toMatchObject({
      message:
        'BGPFilter.crd.projectcalico.org "f" is invalid: spec.exportV6[0].action: Unsupported value: "Maybe": supported values: "Accept", "Reject"',
      details: { causes: [{ reason: "FieldValueNotSupported", field: "spec.exportV6[0].action" }] },
    });
  });

  it("prunes unknown fields and keeps the status subresource separate", async () => {
    const made = (await custom.createNamespacedCustomObject({
      ...MB,
      namespace: "metallb-system",
      plural: "ipaddresspools",
      body: {
        apiVersion: "metallb.io/v1beta1",
        kind: "IPAddressPool",
        metadata: { name: "pool" },
        spec: { addresses: ["fd00:ff01::/120"], bogus: 1 },
        status: { assignedIPv6: 9 },
      },
    })) as Record<string, Record<string, unknown>>;
    expect(made.spec).toEqual({ addresses: ["fd00:ff01::/120"] });
    expect(made.status).toBeUndefined();
    const withStatus = (await custom.patchNamespacedCustomObjectStatus(
      {
        ...MB,
        namespace: "metallb-system",
        plural: "ipaddresspools",
        name: "pool",
        body: { status: { assignedIPv4: 0, assignedIPv6: 1, availableIPv4: 0, availableIPv6: 255 } },
      },
      setHeaderOptions("Content-Type", PatchStrategy.MergePatch),
    )) as Record<string, Record<string, unknown>>;
    expect(withStatus.status).toMatchObject({ assignedIPv6: 1 });
    expect((withStatus.metadata as { generation: number }).generation).toBe(1);
  });

  it("rejects unknown fields with fieldValidation=Strict (as kubectl sends) and warns about them by default", async () => {
    const post = (query: string) =>
      rawRequest(cluster.servers[0]?.url ?? "", cluster.certs, {
        method: "POST",
        path: `/apis/crd.projectcalico.org/v1/bgpconfigurations${query}`,
        body: JSON.stringify({
          apiVersion: "crd.projectcalico.org/v1",
          kind: "BGPConfiguration",
          metadata: { name: "default" },
          spec: { asNumbr: 64512 },
        }),
        headers: { "content-type": "application/json" },
      });
    const strict = await post("?fieldValidation=Strict");
    expect(strict.json()).toMatchObject({
      code: 400,
      reason: "BadRequest",
      message:
        'BGPConfiguration in version "v1" cannot be handled as a BGPConfiguration: strict decoding error: unknown field "spec.asNumbr"',
    });
    const warned = await post("");
    expect(warned.status).toBe(201);
    expect(warned.headers.warning).toBe('299 - "unknown field \\"spec.asNumbr\\""');
  });

  it("applies cluster-scoped Calico resources server-side and watches them from the other server", async () => {
    const events: string[] = [];
    const w = await new Watch(cluster.kc(1)).watch(
      "/apis/crd.projectcalico.org/v1/bgppeers",
      { resourceVersion: "1" },
      (t, o) => events.push(`${t}:${o.metadata.name}`),
      () => {},
    );
    const objects = cluster.kc(0).makeApiClient(KubernetesObjectApi);
    const peer = {
      apiVersion: "crd.projectcalico.org/v1",
      kind: "BGPPeer",
      metadata: { name: "router" },
      spec: { peerIP: "fd00::1", asNumber: 64512, filters: ["f"] },
    };
    const applied = (await objects.patch(
      peer,
      undefined,
      undefined,
      "console",
      undefined,
      PatchStrategy.ServerSideApply,
    )) as { spec: { asNumber: number } };
    expect(applied.spec.asNumber).toBe(64512);
    await waitFor(() => events.includes("ADDED:router"), "the BGPPeer on the other server's watch", {
      timeoutMs: 5_000,
    });
    w.abort();
    const got = (await custom.getClusterCustomObject({ ...CALICO, plural: "bgppeers", name: "router" })) as {
      metadata: { managedFields: Array<{ manager: string }> };
    };
    expect(got.metadata.managedFields.map((m) => m.manager)).toEqual(["console"]);
  });

  it("removes the resources and the discovery entry when the CRD is deleted", async () => {
    const ext = cluster.kc(0).makeApiClient(ApiextensionsV1Api);
    await ext.deleteCustomResourceDefinition({ name: "bgppeers.crd.projectcalico.org" });
    const res = await rawRequest(cluster.servers[1]?.url ?? "", cluster.certs, {
      path: "/apis/crd.projectcalico.org/v1/bgppeers",
    });
    expect(res.status).toBe(404);
    const calico = (
      await rawRequest(cluster.servers[1]?.url ?? "", cluster.certs, {
        path: "/apis/crd.projectcalico.org/v1",
      })
    ).json() as { resources: Array<{ name: string }> };
    expect(calico.resources.map((r) => r.name)).not.toContain("bgppeers");
    expect(cluster.servers[0]?.kube.api.store.list("crd.projectcalico.org", "bgppeers")).toEqual([]);
  });
});
