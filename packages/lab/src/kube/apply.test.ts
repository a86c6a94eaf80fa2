// Server-side apply through client-node and raw requests: managedFields, conflicts with their causes, force,
// shared ownership, pruning of dropped fields, the fieldManager requirement, and apply on the status subresource.
import {
  AppsV1Api,
  CoreV1Api,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest, rejection, startCluster, statusOf, type TestCluster } from "./testkit/index.js";

let cluster: TestCluster;
let core: CoreV1Api;
let apps: AppsV1Api;
let objects: KubernetesObjectApi;
const NS = "apply";
const as = (type: string) => setHeaderOptions("Content-Type", type);

const deployment = (
  replicas: number,
  image = "nginx:1.27",
  extra: Record<string, string> = {},
): V1Deployment => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: NS, labels: { app: "web", ...extra } },
  spec: {
    replicas,
    selector: { matchLabels: { app: "web" } },
    template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "nginx", image }] } },
  },
});

beforeAll(async () => {
  cluster = await startCluster(2);
  core = cluster.kc(0).makeApiClient(CoreV1Api);
  apps = cluster.kc(1).makeApiClient(AppsV1Api);
  objects = cluster.kc(0).makeApiClient(KubernetesObjectApi);
  await core.createNamespace({ body: { metadata: { name: NS } } });
  await core.createNamespacedPod({
    namespace: NS,
    body: { metadata: { name: "two" }, spec: { containers: [{ name: "app", image: "app:1" }] } },
  });
});
afterAll(() => cluster.stop());

describe("server-side apply", () => {
  it("creates with 201, records an Apply entry, and answers the next apply of the same manager idempotently", async () => {
    const res = await rawRequest(cluster.servers[0]?.url ?? "", cluster.certs, {
      method: "PATCH",
      path: `/apis/apps/v1/namespaces/${NS}/deployments/web?fieldManager=team-a`,
      body: JSON.stringify(deployment(2)),
      headers: { "content-type": "application/apply-patch+yaml" },
    });
    expect(res.status).toBe(201);
    const created = res.json() as V1Deployment;
    const entry = created.metadata?.managedFields?.[0];
    expect(entry).toMatchObject({
      manager: "team-a",
      operation: "Apply",
      apiVersion: "apps/v1",
      fieldsType: "FieldsV1",
    });
    expect(entry?.fieldsV1).toMatchObject({
      "f:metadata": { "f:labels": { "f:app": {} } },
      "f:spec": {
        "f:replicas": {},
        "f:template": {
          "f:spec": { "f:containers": { 'k:{"name":"nginx"}': { ".": {}, "f:image": {}, "f:name": {} } } },
        },
      },
    });
    const again = (await objects.patch(
      deployment(2),
      undefined,
      undefined,
      "team-a",
      undefined,
      PatchStrategy.ServerSideApply,
    )) as V1Deployment;
    expect(again.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
  });

  it("refuses another manager's different value with 409 and FieldManagerConflict causes; shares an equal value", async () => {
    const err = await rejection(
      objects.patch(
        deployment(3, "nginx:1.28"),
        undefined,
        undefined,
        "team-b",
        undefined,
        PatchStrategy.ServerSideApply,
      ),
    );
    const status = statusOf(err);
    expect(status).toMatchObject({ kind: "Status", status: "Failure", reason: "Conflict", code: 409 });
    expect(status.message).toBe(
      'Apply failed with 2 conflicts: conflicts with "team-a":\n- .spec.replicas\n- .spec.template.spec.containers[name="nginx"].image',
    );
    expect((status.details as { causes: unknown[] }).causes).toEqual([
      { reason: "FieldManagerConflict", message: 'conflict with "team-a"', field: ".spec.replicas" },
      {
        reason: "FieldManagerConflict",
        message: 'conflict with "team-a"',
        field: '.spec.template.spec.containers[name="nginx"].image',
      },
    ]);
    const shared = (await objects.patch(
      deployment(2),
      undefined,
      undefined,
      "team-b",
      undefined,
      PatchStrategy.ServerSideApply,
    )) as V1Deployment;
    expect(shared.metadata?.managedFields?.map((m) => m.manager)).toEqual(["team-a", "team-b"]);
  });

  it("force takes the fields; the previous owner keeps the rest; conflicts with Update managers name their apiVersion", async () => {
    const forced = (await objects.patch(
      deployment(4),
      undefined,
      undefined,
      "team-b",
      true,
      PatchStrategy.ServerSideApply,
    )) as V1Deployment;
    expect(forced.spec?.replicas).toBe(4);
    const a = forced.metadata?.managedFields?.find((m) => m.manager === "team-a");
    expect(
      ((a?.fieldsV1 ?? {}) as Record<string, Record<string, unknown>>)["f:spec"]?.["f:replicas"],
    ).toBeUndefined();
    await apps.patchNamespacedDeployment(
      { name: "web", namespace: NS, body: { spec: { replicas: 5 } }, fieldManager: "scaler" },
      as(PatchStrategy.MergePatch),
    );
    const err = await rejection(
      objects.patch(deployment(6), undefined, undefined, "team-b", undefined, PatchStrategy.ServerSideApply),
    );
    expect(statusOf(err).message).toBe(
      'Apply failed with 1 conflict: conflict with "scaler" using apps/v1: .spec.replicas',
    );
  });

  it("removes a field the manager stops applying when nobody else owns it", async () => {
    await objects.patch(
      deployment(5, "nginx:1.27", { tier: "front" }),
      undefined,
      undefined,
      "labeller",
      undefined,
      PatchStrategy.ServerSideApply,
    );
    const pruned = (await objects.patch(
      deployment(5),
      undefined,
      undefined,
      "labeller",
      undefined,
      PatchStrategy.ServerSideApply,
    )) as V1Deployment;
    expect(pruned.metadata?.labels).toEqual({ app: "web" });
  });

  it("requires a fieldManager (422 on PatchOptions) and refuses strategic merge on custom resources' media type list", async () => {
    const res = await rawRequest(cluster.servers[0]?.url ?? "", cluster.certs, {
      method: "PATCH",
      path: `/apis/apps/v1/namespaces/${NS}/deployments/web`,
      body: JSON.stringify(deployment(1)),
      headers: { "content-type": "application/apply-patch+yaml" },
    });
    expect(res.status).toBe(422);
    expect(res.json()).toMatchObject({
      message:
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      details: {
        group: "meta.k8s.io",
        kind: "PatchOptions",
        causes: [
          {
            reason: "FieldValueRequired",
            message: "Required value: is required for apply patch",
            field: "fieldManager",
          },
        ],
      },
    });
    const bad = await rawRequest(cluster.servers[0]?.url ?? "", cluster.certs, {
      method: "PATCH",
      path: `/api/v1/namespaces/${NS}/pods/two`,
      body: "{}",
      headers: { "content-type": "text/plain" },
    });
    expect(bad.status).toBe(415);
    expect(bad.json()).toMatchObject({ reason: "UnsupportedMediaType" });
  });

  it("applies pod status as a kubelet would, on the status subresource, with dryRun leaving nothing behind", async () => {
    const body = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "two", namespace: NS },
      status: { phase: "Running", conditions: [{ type: "Ready", status: "True" }] },
    };
    const dry = await rawRequest(cluster.servers[1]?.url ?? "", cluster.certs, {
      method: "PATCH",
      path: `/api/v1/namespaces/${NS}/pods/two/status?fieldManager=kubelet&dryRun=All`,
      body: JSON.stringify(body),
      headers: { "content-type": "application/apply-patch+yaml" },
    });
    expect((dry.json() as { status: { phase: string } }).status.phase).toBe("Running");
    expect((await core.readNamespacedPod({ name: "two", namespace: NS })).status?.phase).toBe("Pending");
    const res = await rawRequest(cluster.servers[1]?.url ?? "", cluster.certs, {
      method: "PATCH",
      path: `/api/v1/namespaces/${NS}/pods/two/status?fieldManager=kubelet`,
      body: JSON.stringify(body),
      headers: { "content-type": "application/apply-patch+yaml" },
    });
    const p = res.json() as {
      status: { phase: string };
      metadata: { managedFields: Array<{ manager: string; subresource?: string }> };
    };
    expect(p.status.phase).toBe("Running");
    expect(p.metadata.managedFields.find((m) => m.manager === "kubelet")).toMatchObject({
      operation: "Apply",
      subresource: "status",
    });
  });
});
