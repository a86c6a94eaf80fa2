// Reading many objects through client-node: label and field selectors, limit/continue paging, and dryRun=All writes.
import { CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejection, startCluster, statusOf, type TestCluster } from "./testkit/index.js";

let cluster: TestCluster;
let core: CoreV1Api;

const pod = (name: string, labels: Record<string, string> = {}, nodeName?: string): V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...(nodeName ? { nodeName } : {}) },
});

beforeAll(async () => {
  cluster = await startCluster(2);
  core = cluster.kc(1).makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: "crud" } } });
  await core.createNamespacedConfigMap({
    namespace: "crud",
    body: { metadata: { name: "cfg" }, data: { a: "1" } },
  });
});
afterAll(() => cluster.stop());

describe("list", () => {
  beforeAll(async () => {
    const specs: Array<[string, Record<string, string>, string]> = [
      ["s-a", { app: "api", tier: "front" }, "node-a"],
      ["s-b", { app: "api", tier: "back" }, "node-b"],
      ["s-c", { app: "db" }, "node-a"],
      ["s-d", { app: "cache", canary: "yes" }, "node-b"],
    ];
    await core.createNamespace({ body: { metadata: { name: "sel" } } });
    for (const [name, labels, node] of specs)
      await core.createNamespacedPod({ namespace: "sel", body: pod(name, labels, node) });
  });

  const names = async (labelSelector?: string, fieldSelector?: string) =>
    (
      await core.listNamespacedPod({
        namespace: "sel",
        ...(labelSelector ? { labelSelector } : {}),
        ...(fieldSelector ? { fieldSelector } : {}),
      })
    ).items
      .map((p) => p.metadata?.name)
      .sort();

  it("filters by label selector operators", async () => {
    expect(await names("app=api")).toEqual(["s-a", "s-b"]);
    expect(await names("app==api,tier!=front")).toEqual(["s-b"]);
    expect(await names("app in (db, cache)")).toEqual(["s-c", "s-d"]);
    expect(await names("app notin (api)")).toEqual(["s-c", "s-d"]);
    expect(await names("canary")).toEqual(["s-d"]);
    expect(await names("!tier")).toEqual(["s-c", "s-d"]);
  });

  it("filters by field selectors (spec.nodeName, metadata.name, status.phase) and rejects unknown fields with 400", async () => {
    expect(await names(undefined, "spec.nodeName=node-a")).toEqual(["s-a", "s-c"]);
    expect(await names(undefined, "spec.nodeName!=node-a,metadata.name!=s-d")).toEqual(["s-b"]);
    expect(await names(undefined, "status.phase=Pending")).toEqual(["s-a", "s-b", "s-c", "s-d"]);
    const all = await core.listPodForAllNamespaces({
      fieldSelector: "metadata.namespace=sel,spec.nodeName=node-b",
    });
    expect(all.items.map((p) => p.metadata?.name).sort()).toEqual(["s-b", "s-d"]);
    const err = await rejection(core.listNamespacedPod({ namespace: "sel", fieldSelector: "spec.bogus=1" }));
    expect(statusOf(err)).toMatchObject({
      code: 400,
      reason: "BadRequest",
      message: "field label not supported: spec.bogus",
    });
  });

  it("pages with limit/continue: every item once, one resourceVersion, remainingItemCount", async () => {
    const first = await core.listNamespacedPod({ namespace: "sel", limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.metadata?.remainingItemCount).toBe(1);
    await core.createNamespacedPod({ namespace: "sel", body: pod("s-e") });
    const second = await core.listNamespacedPod({
      namespace: "sel",
      limit: 3,
      _continue: first.metadata?._continue ?? "",
    });
    expect(second.metadata?._continue).toBeUndefined();
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    const all = [...first.items, ...second.items].map((p) => p.metadata?.name);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toContain("s-d");
  });
});

describe("dryRun=All", () => {
  it("validates and defaults on create, update, patch and delete without storing or bumping resourceVersion", async () => {
    const rv = (await core.listNamespacedPod({ namespace: "crud" })).metadata?.resourceVersion;
    const dry = await core.createNamespacedPod({ namespace: "crud", body: pod("dry"), dryRun: "All" });
    expect(dry.spec?.restartPolicy).toBe("Always");
    expect(dry.metadata?.uid).toBeTruthy();
    expect(dry.metadata?.resourceVersion).toBeUndefined();
    const invalid = await rejection(
      core.createNamespacedPod({
        namespace: "crud",
        body: { metadata: { name: "dry2" }, spec: { containers: [] } },
        dryRun: "All",
      }),
    );
    expect(statusOf(invalid).code).toBe(422);
    const cm = await core.readNamespacedConfigMap({ name: "cfg", namespace: "crud" });
    const upd = await core.replaceNamespacedConfigMap({
      name: "cfg",
      namespace: "crud",
      body: { ...cm, data: { a: "dry" } },
      dryRun: "All",
    });
    expect(upd.data).toEqual({ a: "dry" });
    await core.deleteNamespacedConfigMap({ name: "cfg", namespace: "crud", dryRun: "All" });
    const after = await core.readNamespacedConfigMap({ name: "cfg", namespace: "crud" });
    expect(after.data).toEqual(cm.data);
    expect(after.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
    await rejection(core.readNamespacedPod({ name: "dry", namespace: "crud" }));
    expect((await core.listNamespacedPod({ namespace: "crud" })).metadata?.resourceVersion).toBe(rv);
  });
});
