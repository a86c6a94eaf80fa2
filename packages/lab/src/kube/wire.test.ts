// The wire itself: authentication (certificates, tokens), 401/403/404/405 shapes, discovery documents, /version.
import { KubernetesObjectApi } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, startCluster, type TestCluster } from "./testkit/index.js";

let cluster: TestCluster;
const req = (o: Parameters<typeof rawRequest>[2]) =>
  rawRequest(cluster.servers[0]?.url ?? "", cluster.certs, o);

beforeAll(async () => {
  cluster = await startCluster(1);
});
afterAll(() => cluster.stop());

describe("authentication and authorization", () => {
  it("answers a request without credentials with the Unauthorized Status", async () => {
    const res = await req({ path: "/api/v1/namespaces", user: null });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "Unauthorized",
      reason: "Unauthorized",
      code: 401,
    });
    expect((await req({ path: "/api/v1/namespaces", user: { token: "wrong" } })).status).toBe(401);
  });

  it("lets a read-only token list but not write, with the RBAC forbidden message", async () => {
    const viewer = { token: "view-token" };
    expect((await req({ path: "/api/v1/namespaces/default/pods", user: viewer })).status).toBe(200);
    const res = await req({
      method: "POST",
      path: "/api/v1/namespaces/default/configmaps",
      user: viewer,
      body: JSON.stringify({ metadata: { name: "x" } }),
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        'configmaps is forbidden: User "token-viewer" cannot create resource "configmaps" in API group "" in the namespace "default"',
      reason: "Forbidden",
      details: { kind: "configmaps" },
      code: 403,
    });
  });

  it("maps certificate CN/O to user and groups: O=view reads, no group is forbidden even to read, O=system:masters writes", async () => {
    expect((await req({ path: "/api/v1/nodes", user: cluster.certs.viewer })).status).toBe(200);
    const nobody = await req({
      path: "/apis/apps/v1/namespaces/kube-system/deployments/coredns",
      user: cluster.certs.nobody,
    });
    expect(nobody.status).toBe(403);
    expect(nobody.json()).toMatchObject({
      message:
        'deployments.apps "coredns" is forbidden: User "nobody" cannot get resource "deployments" in API group "apps" in the namespace "kube-system"',
      details: { name: "coredns", group: "apps", kind: "deployments" },
    });
    const evict = await req({
      method: "POST",
      path: "/api/v1/namespaces/default/pods/p/eviction",
      user: cluster.certs.viewer,
      body: "{}",
    });
    expect(evict.json()).toMatchObject({
      message: expect.stringContaining('cannot create resource "pods/eviction" in API group ""'),
    });
    expect((await req({ path: "/api/v1/nodes", user: { token: "admin-token" } })).status).toBe(200);
    expect((await req({ path: "/version", user: cluster.certs.nobody })).status).toBe(200);
  });
});

describe("errors outside objects", () => {
  it("404 for unknown resources and groups, 405 for an unsupported verb, plain 404 outside the API", async () => {
    const unknown = await req({ path: "/api/v1/frobs" });
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "the server could not find the requested resource",
      reason: "NotFound",
      details: {},
      code: 404,
    });
    expect((await req({ path: "/apis/nope.example.com/v1" })).status).toBe(404);
    const put = await req({ method: "POST", path: "/api/v1/namespaces/default/configmaps/x", body: "{}" });
    expect(put.status).toBe(405);
    expect(put.json()).toMatchObject({
      reason: "MethodNotAllowed",
      message: "the server does not allow this method on the requested resource",
      code: 405,
    });
    const bad = await req({
      method: "POST",
      path: "/api/v1/namespaces/default/configmaps",
      body: "{not json",
      headers: { "content-type": "application/json" },
    });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ reason: "BadRequest", code: 400 });
    const mismatch = await req({
      method: "POST",
      path: "/api/v1/namespaces/default/configmaps",
      body: JSON.stringify({ metadata: { name: "m", namespace: "kube-system" } }),
      headers: { "content-type": "application/json" },
    });
    expect(mismatch.json()).toMatchObject({
      code: 400,
      message: "the namespace of the provided object does not match the namespace sent on the request",
    });
  });
});

describe("discovery", () => {
  it("serves /version like k3s", async () => {
    expect((await req({ path: "/version" })).json()).toMatchObject({
      major: "1",
      minor: "33",
      gitVersion: "v1.33.5+k3s1",
      platform: "linux/amd64",
    });
  });

  it("lists core resources with verbs, short names and the pods/eviction subresource kubectl drain looks for", async () => {
    const list = (await req({ path: "/api/v1" })).json() as {
      groupVersion: string;
      resources: Array<Record<string, unknown>>;
    };
    expect(list.groupVersion).toBe("v1");
    const byName = new Map(list.resources.map((r) => [r.name, r]));
    expect(byName.get("pods")).toMatchObject({
      singularName: "pod",
      namespaced: true,
      kind: "Pod",
      shortNames: ["po"],
      categories: ["all"],
    });
    expect(byName.get("pods/eviction")).toEqual({
      name: "pods/eviction",
      singularName: "",
      namespaced: true,
      group: "policy",
      version: "v1",
      kind: "Eviction",
      verbs: ["create"],
    });
    expect(byName.get("nodes")).toMatchObject({ namespaced: false, shortNames: ["no"] });
    expect(byName.get("services/status")).toMatchObject({ verbs: ["get", "patch", "update"] });
  });

  it("serves the group list, group documents and aggregated discovery (v2) when asked for it", async () => {
    const groups = (await req({ path: "/apis" })).json() as { groups: Array<{ name: string }> };
    expect(groups.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining([
        "apps",
        "discovery.k8s.io",
        "coordination.k8s.io",
        "policy",
        "apiextensions.k8s.io",
      ]),
    );
    expect((await req({ path: "/apis/policy" })).json()).toMatchObject({
      kind: "APIGroup",
      preferredVersion: { groupVersion: "policy/v1", version: "v1" },
    });
    const agg = await req({
      path: "/apis",
      headers: {
        accept: "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json",
      },
    });
    expect(agg.headers["content-type"]).toBe(
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
    );
    const doc = agg.json() as {
      kind: string;
      items: Array<{
        metadata: { name: string };
        versions: Array<{ resources: Array<{ resource: string; scope: string }> }>;
      }>;
    };
    expect(doc.kind).toBe("APIGroupDiscoveryList");
    const appsGroup = doc.items.find((i) => i.metadata.name === "apps");
    expect(appsGroup?.versions[0]?.resources.find((r) => r.resource === "daemonsets")).toMatchObject({
      scope: "Namespaced",
    });
  });

  it("lets KubernetesObjectApi resolve kinds from discovery", async () => {
    const objects = cluster.kc(0).makeApiClient(KubernetesObjectApi);
    const list = await objects.list("policy/v1", "PodDisruptionBudget", "kube-system");
    expect(list.items).toEqual([]);
    const slices = await objects.list("discovery.k8s.io/v1", "EndpointSlice");
    expect(Array.isArray(slices.items)).toBe(true);
  });
});

describe("health endpoints", () => {
  it("answer anonymous requests with 401, as k3s does with anonymous auth off, and credentialed ones with ok", async () => {
    for (const path of ["/readyz", "/livez", "/healthz"]) {
      const anonymous = await req({ path, user: null });
      expect(anonymous.status, path).toBe(401);
      expect(anonymous.json()).toMatchObject({ kind: "Status", reason: "Unauthorized", code: 401 });
      const admin = await req({ path, user: { token: "admin-token" } });
      expect(admin.status, path).toBe(200);
      expect(admin.text, path).toBe("ok");
    }
  });

  it("open only the paths an AuthenticationConfiguration allows anonymously", async () => {
    const open = await startCluster(1, { anonymousHealthPaths: ["/readyz", "/livez"] });
    try {
      const anon = (path: string) => rawRequest(open.servers[0]?.url ?? "", open.certs, { path, user: null });
      expect((await anon("/readyz")).status).toBe(200);
      expect((await anon("/livez")).status).toBe(200);
      expect((await anon("/healthz")).status).toBe(401);
      expect((await anon("/api/v1/namespaces")).status).toBe(401);
    } finally {
      await open.stop();
    }
  });
});
