// Watches across API server instances: events from writes elsewhere, selector transitions, bookmarks, initial events,
// timeoutSeconds, 410 Gone after compaction, and client-node's Watch and informer on top.
import { CoreV1Api, makeInformer, type V1ConfigMap, Watch } from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installCrds, metallbCrds } from "../kube-state.js";
import { R } from "./client.js";
import { rawRequest, startCluster, type TestCluster, waitFor } from "./testkit/index.js";

let cluster: TestCluster;
let writer: CoreV1Api;
const NS = "w";
const PATH = `/api/v1/namespaces/${NS}/configmaps`;

interface Event {
  type: string;
  object: {
    metadata?: {
      name?: string;
      resourceVersion?: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
    data?: Record<string, string>;
    code?: number;
    reason?: string;
  };
}

/** Watches through server `i` until stopped; collects events. */
async function watchOn(i: number, query: Record<string, string | number | boolean | undefined>, path = PATH) {
  const events: Event[] = [];
  let ended: unknown = "open";
  const controller = await new Watch(cluster.kc(i)).watch(
    path,
    query,
    (type, object) => events.push({ type, object } as Event),
    (err) => {
      ended = err;
    },
  );
  return { events, stop: () => controller.abort(), ended: () => ended };
}

const cm = (
  name: string,
  labels: Record<string, string> = {},
  data: Record<string, string> = {},
): V1ConfigMap => ({ metadata: { name, labels }, data });

beforeAll(async () => {
  cluster = await startCluster(2, { bookmarkIntervalMs: 150 });
  writer = cluster.kc(0).makeApiClient(CoreV1Api);
  await writer.createNamespace({ body: { metadata: { name: NS } } });
});
afterAll(() => cluster.stop());

describe("watch", () => {
  it("sees on server B the ADDED, MODIFIED and DELETED of writes made through server A, in order", async () => {
    const rv = (await writer.listNamespacedConfigMap({ namespace: NS })).metadata?.resourceVersion ?? "";
    const w = await watchOn(1, { resourceVersion: rv });
    const a = await writer.createNamespacedConfigMap({ namespace: NS, body: cm("one") });
    const b = await writer.replaceNamespacedConfigMap({
      name: "one",
      namespace: NS,
      body: { ...a, data: { k: "v" } },
    });
    await writer.deleteNamespacedConfigMap({ name: "one", namespace: NS });
    await waitFor(() => w.events.length >= 3, "three watch events on the other server", { timeoutMs: 5_000 });
    w.stop();
    expect(w.events.map((e) => e.type)).toEqual(["ADDED", "MODIFIED", "DELETED"]);
    expect(w.events[0]?.object.metadata?.resourceVersion).toBe(a.metadata?.resourceVersion);
    expect(w.events[1]?.object.data).toEqual({ k: "v" });
    expect(w.events[1]?.object.metadata?.resourceVersion).toBe(b.metadata?.resourceVersion);
    expect(Number(w.events[2]?.object.metadata?.resourceVersion)).toBeGreaterThan(
      Number(b.metadata?.resourceVersion),
    );
  });

  it("turns objects leaving and entering a label selection into DELETED and ADDED", async () => {
    const w = await watchOn(1, {
      labelSelector: "app=sel",
      resourceVersion: (await writer.listNamespacedConfigMap({ namespace: NS })).metadata?.resourceVersion,
    });
    const x = await writer.createNamespacedConfigMap({ namespace: NS, body: cm("sel", { app: "sel" }) });
    const out = await writer.replaceNamespacedConfigMap({
      name: "sel",
      namespace: NS,
      body: { ...x, metadata: { ...x.metadata, labels: { app: "other" } } },
    });
    await writer.createNamespacedConfigMap({ namespace: NS, body: cm("ignored", { app: "other" }) });
    await writer.replaceNamespacedConfigMap({
      name: "sel",
      namespace: NS,
      body: { ...out, metadata: { ...out.metadata, labels: { app: "sel" } } },
    });
    await waitFor(() => w.events.length >= 3, "selection events", { timeoutMs: 5_000 });
    w.stop();
    expect(w.events.map((e) => `${e.type}:${e.object.metadata?.name}`)).toEqual([
      "ADDED:sel",
      "DELETED:sel",
      "ADDED:sel",
    ]);
  });

  it("without a resourceVersion starts with ADDED for what exists; sendInitialEvents ends with the initial-events-end BOOKMARK", async () => {
    const plain = await watchOn(1, {});
    await waitFor(() => plain.events.length >= 2, "initial events", { timeoutMs: 5_000 });
    plain.stop();
    expect(plain.events.map((e) => e.type)).toEqual(["ADDED", "ADDED"]);
    const streaming = await watchOn(1, {
      sendInitialEvents: true,
      allowWatchBookmarks: true,
      resourceVersionMatch: "NotOlderThan",
    });
    await waitFor(() => streaming.events.find((e) => e.type === "BOOKMARK"), "initial-events-end bookmark", {
      timeoutMs: 5_000,
    });
    streaming.stop();
    const bookmark = streaming.events.find((e) => e.type === "BOOKMARK");
    expect(streaming.events.slice(0, 2).map((e) => e.type)).toEqual(["ADDED", "ADDED"]);
    expect(bookmark?.object.metadata?.annotations).toEqual({ "k8s.io/initial-events-end": "true" });
  });

  it("sends periodic BOOKMARKs carrying the latest resourceVersion when allowed", async () => {
    const rv = (await writer.listNamespacedConfigMap({ namespace: NS })).metadata?.resourceVersion ?? "";
    const w = await watchOn(1, { resourceVersion: rv, allowWatchBookmarks: true });
    const made = await writer.createNamespacedConfigMap({ namespace: NS, body: cm("marked") });
    await waitFor(
      () =>
        w.events.find(
          (e) =>
            e.type === "BOOKMARK" &&
            Number(e.object.metadata?.resourceVersion) >= Number(made.metadata?.resourceVersion),
        ),
      "a bookmark at or after the write",
      { timeoutMs: 5_000 },
    );
    w.stop();
    expect(w.events[0]?.type).toBe("ADDED");
  });

  it("ends the stream after timeoutSeconds (client sees a clean close)", async () => {
    const start = Date.now();
    const w = await watchOn(1, { timeoutSeconds: 1, resourceVersion: "1" });
    await waitFor(() => w.ended() !== "open", "the server to end the watch", { timeoutMs: 5_000 });
    expect(w.ended()).toBeNull();
    expect(Date.now() - start).toBeGreaterThanOrEqual(900);
  });

  it("ends the watches on a custom resource when its CRD is deleted, as the apiserver tears its storage down", async () => {
    const client = cluster.servers[0]?.kube.client;
    if (!client) throw new Error("no lab API");
    const crd = metallbCrds().find((c) => c.metadata.name === "ipaddresspools.metallb.io");
    if (!crd) throw new Error("no pool CRD");
    installCrds(client, [crd]);
    const w = await watchOn(1, {}, "/apis/metallb.io/v1beta1/ipaddresspools");
    const cms = await watchOn(1, {});
    client.delete(R.crds, undefined, "ipaddresspools.metallb.io");
    await waitFor(() => w.ended() !== "open", "the pool watch to end", { timeoutMs: 5_000 });
    // Watches on other resources go on.
    expect(cms.ended()).toBe("open");
    cms.stop();
  });

  it("answers a too old resourceVersion with 200 and one ERROR event: 410 Expired", async () => {
    const rv = Number((await writer.listNamespacedConfigMap({ namespace: NS })).metadata?.resourceVersion);
    await writer.createNamespacedConfigMap({ namespace: NS, body: cm("after-compaction") });
    cluster.servers[0]?.kube.api.store.compact(rv + 1);
    const res = await rawRequest(cluster.servers[1]?.url ?? "", cluster.certs, {
      path: `${PATH}?watch=1&resourceVersion=${rv - 5}`,
    });
    expect(res.status).toBe(200);
    const lines = res.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Event);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.type).toBe("ERROR");
    expect(lines[0]?.object).toMatchObject({
      kind: "Status",
      status: "Failure",
      reason: "Expired",
      code: 410,
    });
    expect(((lines[0]?.object ?? {}) as { message?: string }).message).toMatch(
      /^too old resource version: \d+ \(\d+\)$/,
    );
  });

  it("serves the deprecated /watch/ path form as a chunked JSON stream", async () => {
    const rv = (await writer.listNamespacedConfigMap({ namespace: NS })).metadata?.resourceVersion ?? "";
    const pending = rawRequest(cluster.servers[1]?.url ?? "", cluster.certs, {
      path: `/api/v1/watch/namespaces/${NS}/configmaps/legacy?resourceVersion=${rv}&timeoutSeconds=1`,
    });
    await writer.createNamespacedConfigMap({ namespace: NS, body: cm("legacy") });
    await writer.createNamespacedConfigMap({ namespace: NS, body: cm("not-this-one") });
    const res = await pending;
    expect(res.headers["transfer-encoding"]).toBe("chunked");
    expect(
      res.text
        .trim()
        .split("\n")
        .map((l) => `${(JSON.parse(l) as Event).type}:${(JSON.parse(l) as Event).object.metadata?.name}`),
    ).toEqual(["ADDED:legacy"]);
  });
});

describe("informer", () => {
  it("keeps a cache on server B in step with writes through server A", async () => {
    const reader = cluster.kc(1).makeApiClient(CoreV1Api);
    const informer = makeInformer(
      cluster.kc(1),
      PATH,
      () => reader.listNamespacedConfigMap({ namespace: NS, labelSelector: "team=inf" }),
      "team=inf",
    );
    const seen: string[] = [];
    informer.on("add", (o) => seen.push(`add:${o.metadata?.name}`));
    informer.on("update", (o) => seen.push(`update:${o.metadata?.name}`));
    informer.on("delete", (o) => seen.push(`delete:${o.metadata?.name}`));
    await informer.start();
    const made = await writer.createNamespacedConfigMap({ namespace: NS, body: cm("inf", { team: "inf" }) });
    await writer.replaceNamespacedConfigMap({
      name: "inf",
      namespace: NS,
      body: { ...made, data: { x: "1" } },
    });
    await waitFor(() => informer.get("inf", NS)?.data?.x === "1", "the informer cache to see the update", {
      timeoutMs: 5_000,
    });
    await writer.deleteNamespacedConfigMap({ name: "inf", namespace: NS });
    await waitFor(() => informer.list(NS).length === 0, "the informer cache to drop the object", {
      timeoutMs: 5_000,
    });
    await informer.stop();
    expect(seen).toEqual(["add:inf", "update:inf", "delete:inf"]);
  });
});
