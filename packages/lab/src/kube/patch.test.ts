// PATCH through client-node: merge patch, JSON patch (RFC 6902) and strategic merge (keyed lists, directives),
// including what kubectl cordon/uncordon send and the pod-update rule.
import { AppsV1Api, CoreV1Api, PatchStrategy, setHeaderOptions } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejection, startCluster, statusOf, type TestCluster } from "./testkit/index.js";

let cluster: TestCluster;
let core: CoreV1Api;
let apps: AppsV1Api;
const NS = "patch";
const as = (type: string) => setHeaderOptions("Content-Type", type);

beforeAll(async () => {
  cluster = await startCluster(2);
  core = cluster.kc(0).makeApiClient(CoreV1Api);
  apps = cluster.kc(1).makeApiClient(AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await core.createNamespacedPod({
    namespace: NS,
    body: {
      metadata: { name: "two", labels: { a: "1", b: "2" } },
      spec: {
        containers: [
          {
            name: "app",
            image: "app:1",
            env: [
              { name: "A", value: "1" },
              { name: "B", value: "2" },
            ],
          },
          { name: "side", image: "side:1" },
        ],
      },
    },
  });
});
afterAll(() => cluster.stop());

describe("merge and JSON patch", () => {
  it("merge patch adds and removes (null) labels", async () => {
    const p = await core.patchNamespacedPod(
      { name: "two", namespace: NS, body: { metadata: { labels: { a: null, c: "3" } } } },
      as(PatchStrategy.MergePatch),
    );
    expect(p.metadata?.labels).toEqual({ b: "2", c: "3" });
  });

  it("JSON patch applies add/replace/test; a failed test is 422 as the apiserver words it", async () => {
    const p = await core.patchNamespacedPod(
      {
        name: "two",
        namespace: NS,
        body: [
          { op: "test", path: "/metadata/labels/b", value: "2" },
          { op: "add", path: "/metadata/annotations", value: { x: "y" } },
          { op: "replace", path: "/spec/containers/1/image", value: "side:2" },
        ],
      },
      as(PatchStrategy.JsonPatch),
    );
    expect(p.metadata?.annotations).toEqual({ x: "y" });
    expect(p.spec?.containers[1]?.image).toBe("side:2");
    const err = await rejection(
      core.patchNamespacedPod(
        { name: "two", namespace: NS, body: [{ op: "test", path: "/metadata/labels/b", value: "nope" }] },
        as(PatchStrategy.JsonPatch),
      ),
    );
    expect(statusOf(err)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: "the server rejected our request due to an error in our request",
      reason: "Invalid",
      details: {},
      code: 422,
    });
  });
});

describe("strategic merge patch", () => {
  it("merges containers and env by name and honours $patch: delete (Deployment template)", async () => {
    await apps.createNamespacedDeployment({
      namespace: NS,
      body: {
        metadata: { name: "smp" },
        spec: {
          selector: { matchLabels: { app: "smp" } },
          template: {
            metadata: { labels: { app: "smp" } },
            spec: {
              containers: [
                {
                  name: "app",
                  image: "app:1",
                  env: [
                    { name: "A", value: "1" },
                    { name: "B", value: "2" },
                  ],
                },
                { name: "side", image: "side:1" },
              ],
            },
          },
        },
      },
    });
    const body = {
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "app",
                image: "app:2",
                env: [
                  { name: "B", value: "20" },
                  { name: "A", $patch: "delete" },
                ],
              },
            ],
          },
        },
      },
    };
    const d = await apps.patchNamespacedDeployment(
      { name: "smp", namespace: NS, body },
      as(PatchStrategy.StrategicMergePatch),
    );
    const containers = d.spec?.template.spec?.containers ?? [];
    expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(["app=app:2", "side=side:1"]);
    expect(containers[0]?.env).toEqual([{ name: "B", value: "20" }]);
    expect(d.metadata?.generation).toBe(2);
  });

  it("lets a pod change only its images: an env change is 422 Forbidden as upstream", async () => {
    const p = await core.patchNamespacedPod(
      { name: "two", namespace: NS, body: { spec: { containers: [{ name: "app", image: "app:2" }] } } },
      as(PatchStrategy.StrategicMergePatch),
    );
    expect(p.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual(["app=app:2", "side=side:2"]);
    const err = await rejection(
      core.patchNamespacedPod(
        {
          name: "two",
          namespace: NS,
          body: { spec: { containers: [{ name: "app", env: [{ name: "A", value: "9" }] }] } },
        },
        as(PatchStrategy.StrategicMergePatch),
      ),
    );
    expect(statusOf(err)).toMatchObject({
      code: 422,
      details: { causes: [{ reason: "FieldValueForbidden", field: "spec" }] },
    });
    expect(String(statusOf(err).message)).toContain(
      "pod updates may not change fields other than `spec.containers[*].image`",
    );
  });

  it("cordons and uncordons a node as kubectl does, and merges node conditions by type on /status", async () => {
    await core.createNode({
      body: {
        metadata: { name: "n1" },
        status: {
          conditions: [
            { type: "Ready", status: "True" },
            { type: "DiskPressure", status: "False" },
          ],
        },
      },
    });
    const cordoned = await core.patchNode(
      { name: "n1", body: { spec: { unschedulable: true } } },
      as(PatchStrategy.StrategicMergePatch),
    );
    expect(cordoned.spec?.unschedulable).toBe(true);
    expect(
      (await core.listNode({ fieldSelector: "spec.unschedulable=true" })).items.map((n) => n.metadata?.name),
    ).toEqual(["n1"]);
    const uncordoned = await core.patchNode(
      { name: "n1", body: { spec: { unschedulable: null } } },
      as(PatchStrategy.StrategicMergePatch),
    );
    expect(uncordoned.spec?.unschedulable).toBeUndefined();
    const st = await core.patchNodeStatus(
      { name: "n1", body: { status: { conditions: [{ type: "Ready", status: "False", reason: "Test" }] } } },
      as(PatchStrategy.StrategicMergePatch),
    );
    expect(st.status?.conditions?.map((c) => `${c.type}=${c.status}`)).toEqual([
      "Ready=False",
      "DiskPressure=False",
    ]);
  });
});
