// Deletion as the apiserver does it: what DELETE answers, garbage collection of dependents (background and orphan),
// finalizers holding an object until they are removed, preconditions, namespace cascade, deletecollection.
import { AppsV1Api, CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejection, startCluster, statusOf, type TestCluster } from "./testkit/index.js";

let cluster: TestCluster;
let core: CoreV1Api;
let apps: AppsV1Api;

const pod = (name: string, labels: Record<string, string> = {}): V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: "app", image: "nginx:1.27" }] },
});

const template = {
  metadata: { labels: { app: "web" } },
  spec: { containers: [{ name: "c", image: "nginx" }] },
};

beforeAll(async () => {
  cluster = await startCluster(2);
  core = cluster.kc(0).makeApiClient(CoreV1Api);
  apps = cluster.kc(1).makeApiClient(AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: "crud" } } });
  await apps.createNamespacedDeployment({
    namespace: "crud",
    body: { metadata: { name: "web" }, spec: { selector: { matchLabels: { app: "web" } }, template } },
  });
});
afterAll(() => cluster.stop());

describe("delete", () => {
  it("answers the pod itself for pods and a Success Status for deployments, and collects owned ReplicaSets", async () => {
    await core.createNamespacedPod({ namespace: "crud", body: pod("gone") });
    const deleted = (await core.deleteNamespacedPod({ name: "gone", namespace: "crud" })) as V1Pod;
    expect(deleted.metadata?.name).toBe("gone");
    const d = await apps.readNamespacedDeployment({ name: "web", namespace: "crud" });
    await apps.createNamespacedReplicaSet({
      namespace: "crud",
      body: {
        metadata: {
          name: "web-abc",
          ownerReferences: [
            {
              apiVersion: "apps/v1",
              kind: "Deployment",
              name: "web",
              uid: d.metadata?.uid ?? "",
              controller: true,
            },
          ],
        },
        spec: {
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "c", image: "nginx" }] },
          },
        },
      },
    });
    const status = await apps.deleteNamespacedDeployment({ name: "web", namespace: "crud" });
    expect(status).toMatchObject({
      kind: "Status",
      status: "Success",
      details: { name: "web", group: "apps", kind: "deployments", uid: d.metadata?.uid },
    });
    expect((await apps.listNamespacedReplicaSet({ namespace: "crud" })).items).toHaveLength(0);
    const missing = await rejection(apps.deleteNamespacedDeployment({ name: "web", namespace: "crud" }));
    expect(statusOf(missing)).toMatchObject({
      code: 404,
      message: 'deployments.apps "web" not found',
      details: { name: "web", group: "apps", kind: "deployments" },
    });
  });

  it("deleting a namespace removes what is in it", async () => {
    await core.createNamespace({ body: { metadata: { name: "doomed" } } });
    await core.createNamespacedConfigMap({ namespace: "doomed", body: { metadata: { name: "x" } } });
    const ns = await core.deleteNamespace({ name: "doomed" });
    expect(ns).toMatchObject({ kind: "Namespace", status: { phase: "Terminating" } });
    expect(
      (await core.listConfigMapForAllNamespaces({ fieldSelector: "metadata.namespace=doomed" })).items,
    ).toHaveLength(0);
  });
});

describe("finalizers, preconditions, orphans and collections", () => {
  it("keeps an object with finalizers until the last one is removed", async () => {
    await core.createNamespacedConfigMap({
      namespace: "crud",
      body: { metadata: { name: "held", finalizers: ["example.com/hold"] } },
    });
    const marked = await core.deleteNamespacedConfigMap({ name: "held", namespace: "crud" });
    expect(marked).toMatchObject({ kind: "ConfigMap" });
    const held = await core.readNamespacedConfigMap({ name: "held", namespace: "crud" });
    expect(held.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    await core.replaceNamespacedConfigMap({
      name: "held",
      namespace: "crud",
      body: { ...held, metadata: { ...held.metadata, finalizers: [] } },
    });
    expect(
      statusOf(await rejection(core.readNamespacedConfigMap({ name: "held", namespace: "crud" }))).code,
    ).toBe(404);
  });

  it("refuses a delete whose uid precondition does not match (409)", async () => {
    await core.createNamespacedConfigMap({ namespace: "crud", body: { metadata: { name: "pre" } } });
    const err = await rejection(
      core.deleteNamespacedConfigMap({
        name: "pre",
        namespace: "crud",
        body: { preconditions: { uid: "not-it" } },
      }),
    );
    expect(statusOf(err)).toMatchObject({ code: 409, reason: "Conflict" });
    expect(String(statusOf(err).message)).toContain("Precondition failed: UID in precondition: not-it");
  });

  it("orphans dependents when asked, and deletecollection removes what the selector picks", async () => {
    const owner = await core.createNamespacedConfigMap({
      namespace: "crud",
      body: { metadata: { name: "owner" } },
    });
    const ref = { apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: owner.metadata?.uid ?? "" };
    await core.createNamespacedConfigMap({
      namespace: "crud",
      body: { metadata: { name: "child", labels: { batch: "x" }, ownerReferences: [ref] } },
    });
    await core.deleteNamespacedConfigMap({ name: "owner", namespace: "crud", propagationPolicy: "Orphan" });
    const child = await core.readNamespacedConfigMap({ name: "child", namespace: "crud" });
    expect(child.metadata?.ownerReferences).toBeUndefined();
    await core.createNamespacedConfigMap({
      namespace: "crud",
      body: { metadata: { name: "child2", labels: { batch: "x" } } },
    });
    await core.deleteCollectionNamespacedConfigMap({ namespace: "crud", labelSelector: "batch=x" });
    expect(
      (await core.listNamespacedConfigMap({ namespace: "crud", labelSelector: "batch=x" })).items,
    ).toHaveLength(0);
  });
});
