// Verbs through @kubernetes/client-node's typed APIs: create/get/list/update/delete, selectors, paging, status, dryRun.
import { AppsV1Api, CoordinationV1Api, CoreV1Api, type V1Pod } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rejection, startCluster, statusOf, type TestCluster } from "./testkit/index.js";

let cluster: TestCluster;
let core: CoreV1Api;
let apps: AppsV1Api;

const pod = (name: string, labels: Record<string, string> = {}, nodeName?: string): V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: "app", image: "nginx:1.27" }], ...(nodeName ? { nodeName } : {}) },
});

beforeAll(async () => {
  cluster = await startCluster(2);
  core = cluster.kc(0).makeApiClient(CoreV1Api);
  apps = cluster.kc(1).makeApiClient(AppsV1Api);
  await core.createNamespace({ body: { metadata: { name: "crud" } } });
});
afterAll(() => cluster.stop());

describe("create and read", () => {
  it("creates a pod with generateName and answers it defaulted, with uid, timestamps and resourceVersion", async () => {
    const created = await core.createNamespacedPod({
      namespace: "crud",
      body: { ...pod(""), metadata: { generateName: "web-" } },
    });
    expect(created.metadata?.name).toMatch(/^web-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(created.status?.phase).toBe("Pending");
    expect(created.spec?.restartPolicy).toBe("Always");
    expect(created.spec?.dnsPolicy).toBe("ClusterFirst");
    expect(created.spec?.containers[0]?.imagePullPolicy).toBe("IfNotPresent");
    expect(created.spec?.tolerations?.map((t) => t.key)).toEqual([
      "node.kubernetes.io/not-ready",
      "node.kubernetes.io/unreachable",
    ]);
    // Written through server 0, read back through server 1 (same datastore).
    const core1 = cluster.kc(1).makeApiClient(CoreV1Api);
    const read = await core1.readNamespacedPod({ name: created.metadata?.name ?? "", namespace: "crud" });
    expect(read.metadata?.uid).toBe(created.metadata?.uid);
  });

  it("rejects a duplicate with 409 AlreadyExists and a missing namespace with 404", async () => {
    await core.createNamespacedPod({ namespace: "crud", body: pod("dup") });
    const dup = await rejection(core.createNamespacedPod({ namespace: "crud", body: pod("dup") }));
    expect(statusOf(dup)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'pods "dup" already exists',
      reason: "AlreadyExists",
      details: { name: "dup", kind: "pods" },
      code: 409,
    });
    const noNs = await rejection(core.createNamespacedPod({ namespace: "nope", body: pod("x") }));
    expect(statusOf(noNs)).toMatchObject({
      reason: "NotFound",
      message: 'namespaces "nope" not found',
      code: 404,
    });
  });

  it("answers 422 Invalid with causes for a pod without containers or with a bad name", async () => {
    const err = await rejection(
      core.createNamespacedPod({
        namespace: "crud",
        body: { metadata: { name: "Bad_Name" }, spec: { containers: [] } },
      }),
    );
    const status = statusOf(err);
    expect(status.code).toBe(422);
    expect(status.reason).toBe("Invalid");
    expect(status.message).toMatch(
      /^Pod "Bad_Name" is invalid: \[metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    expect(status.details).toMatchObject({
      name: "Bad_Name",
      kind: "Pod",
      causes: [
        { reason: "FieldValueInvalid", field: "metadata.name" },
        { reason: "FieldValueRequired", message: "Required value", field: "spec.containers" },
      ],
    });
  });
});

describe("update", () => {
  it("replaces with the current resourceVersion and refuses a stale one with the apiserver's Conflict message", async () => {
    const first = await core.createNamespacedConfigMap({
      namespace: "crud",
      body: { metadata: { name: "cfg" }, data: { a: "1" } },
    });
    const second = await core.replaceNamespacedConfigMap({
      name: "cfg",
      namespace: "crud",
      body: { ...first, data: { a: "2" } },
    });
    expect(Number(second.metadata?.resourceVersion)).toBeGreaterThan(Number(first.metadata?.resourceVersion));
    const err = await rejection(
      core.replaceNamespacedConfigMap({
        name: "cfg",
        namespace: "crud",
        body: { ...first, data: { a: "3" } },
      }),
    );
    expect(statusOf(err)).toEqual({
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message:
        'Operation cannot be fulfilled on configmaps "cfg": the object has been modified; please apply your changes to the latest version and try again',
      reason: "Conflict",
      details: { name: "cfg", kind: "configmaps" },
      code: 409,
    });
  });

  it("keeps status out of main-resource updates and spec out of /status updates; bumps generation on spec change", async () => {
    const d = await apps.createNamespacedDeployment({
      namespace: "crud",
      body: {
        metadata: { name: "web" },
        spec: {
          selector: { matchLabels: { app: "web" } },
          template: {
            metadata: { labels: { app: "web" } },
            spec: { containers: [{ name: "c", image: "nginx" }] },
          },
        },
        status: { replicas: 9 },
      },
    });
    expect(d.status).toBeUndefined();
    expect(d.metadata?.generation).toBe(1);
    expect(d.spec?.replicas).toBe(1);
    expect(d.spec?.strategy?.rollingUpdate?.maxSurge).toBe("25%");
    const s = await apps.replaceNamespacedDeploymentStatus({
      name: "web",
      namespace: "crud",
      body: { ...d, spec: { ...d.spec, replicas: 5 } as never, status: { replicas: 1, readyReplicas: 1 } },
    });
    expect(s.status?.readyReplicas).toBe(1);
    expect(s.spec?.replicas).toBe(1);
    expect(s.metadata?.generation).toBe(1);
    const u = await apps.replaceNamespacedDeployment({
      name: "web",
      namespace: "crud",
      body: { ...s, spec: { ...s.spec, replicas: 3 } as never, status: {} },
    });
    expect(u.spec?.replicas).toBe(3);
    expect(u.status?.readyReplicas).toBe(1);
    expect(u.metadata?.generation).toBe(2);
  });

  it("does not write (nor bump resourceVersion) when an update changes nothing", async () => {
    const cm = await core.readNamespacedConfigMap({ name: "cfg", namespace: "crud" });
    const same = await core.replaceNamespacedConfigMap({ name: "cfg", namespace: "crud", body: cm });
    expect(same.metadata?.resourceVersion).toBe(cm.metadata?.resourceVersion);
  });
});

describe("leases and services", () => {
  it("creates and renews a Lease through CoordinationV1Api", async () => {
    const coord = cluster.kc(1).makeApiClient(CoordinationV1Api);
    const l = await coord.createNamespacedLease({
      namespace: "crud",
      body: { metadata: { name: "lock" }, spec: { holderIdentity: "a", leaseDurationSeconds: 15 } },
    });
    const renewed = await coord.replaceNamespacedLease({
      name: "lock",
      namespace: "crud",
      body: { ...l, spec: { ...l.spec, holderIdentity: "b" } },
    });
    expect(renewed.spec?.holderIdentity).toBe("b");
  });

  it("allocates ClusterIPs from the service CIDR and NodePorts for LoadBalancers, keeps them on update, refuses a taken IP", async () => {
    const lb = await core.createNamespacedService({
      namespace: "crud",
      body: {
        metadata: { name: "lb" },
        spec: {
          type: "LoadBalancer",
          selector: { app: "x" },
          ports: [{ port: 443, targetPort: 6443 as never }],
        },
      },
    });
    expect(lb.spec?.clusterIP).toMatch(/^fd00:10:96::[0-9a-f]{1,4}$/);
    expect(lb.spec?.ipFamilies).toEqual(["IPv6"]);
    expect(lb.spec?.externalTrafficPolicy).toBe("Cluster");
    const nodePort = lb.spec?.ports?.[0]?.nodePort ?? 0;
    expect(nodePort).toBeGreaterThanOrEqual(30000);
    const { clusterIP: _ip, clusterIPs: _ips, ...specWithout } = lb.spec ?? {};
    const kept = await core.replaceNamespacedService({
      name: "lb",
      namespace: "crud",
      body: {
        ...lb,
        spec: { ...specWithout, ports: [{ port: 443, targetPort: 6443 as never, protocol: "TCP" }] },
      },
    });
    expect(kept.spec?.clusterIP).toBe(lb.spec?.clusterIP);
    expect(kept.spec?.ports?.[0]?.nodePort).toBe(nodePort);
    const taken = await rejection(
      core.createNamespacedService({
        namespace: "crud",
        body: {
          metadata: { name: "clash" },
          spec: { clusterIP: lb.spec?.clusterIP ?? "", ports: [{ port: 80 }] },
        },
      }),
    );
    expect(statusOf(taken)).toMatchObject({
      code: 422,
      reason: "Invalid",
      details: { causes: [{ field: "spec.clusterIPs", reason: "FieldValueInvalid" }] },
    });
  });
});
