// The lab's Kubernetes API end to end (root): a real lab whose k3s stand-ins serve the API over one shared store,
// driven from the host with @kubernetes/client-node and kubectl through the kubeconfig `lab up` writes. Runs with the
// shortened controller timings (node grace period 8 s, apiserver lease TTL 5 s: see standin/timings.ts).
import { execFile, execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { get as httpsGet } from "node:https";
import { promisify } from "node:util";
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  DiscoveryV1Api,
  KubeConfig,
  type V1Node,
  Watch,
} from "@kubernetes/client-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { caFiles } from "./ca.js";
import { dig } from "./daemons/bind.js";
import { sleep, waitFor } from "./exec.js";
import { startK3s, stopK3s } from "./faults.js";
import { CALICO, kubeconfigServer, PRESET_NAMES } from "./kube-lab.js";
import { kubeDbFile, kubeTokenFile } from "./kube-state.js";
import { labDown, labStatusOf, labUp } from "./lab.js";
import { alive, listNamespaces, readPid } from "./netns.js";
import { waitForFib } from "./routes.js";
import { standinPidFile } from "./standin/node-config.js";
import { FAST_TIMINGS } from "./standin/timings.js";
import { k3sConfigFile, standinConfig } from "./standin/wrappers.js";
import { readLabInfo } from "./state.js";
import { tlsProbe, uniqueLabName } from "./testing.js";
import { labTopology, type NodeSpec } from "./topology.js";

const exec = promisify(execFile);
const name = uniqueLabName("kube");
const t = labTopology(name);
const [node01, node02] = t.nodes;
let kubeconfig: string;

/** A client from the lab's kubeconfig, optionally pointed at another server address. */
function kc(serverAddress?: string): KubeConfig {
  const config = new KubeConfig();
  const text = readFileSync(kubeconfig, "utf8");
  config.loadFromString(
    serverAddress
      ? text.replace(/server: https:\/\/\[[^\]]+\]:6443/, `server: https://[${serverAddress}]:6443`)
      : text,
  );
  return config;
}

/** An anonymous GET over TLS (the lab CA trusted): the status code and body. */
function fetchStatus(address: string, path: string, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(
      { host: address, port: 6443, path, ca: readFileSync(ca), servername: "node01", timeout: 5_000 },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`GET ${path} on ${address} timed out`)));
    req.on("error", reject);
  });
}

const ready = (o: { status?: { conditions?: Array<{ type: string; status: string }> } }) =>
  o.status?.conditions?.find((c) => c.type === "Ready")?.status === "True";

beforeAll(async () => {
  const status = await labUp(name, { fastControllers: true });
  kubeconfig = status.kubeconfig;
}, 120_000);

afterAll(async () => {
  await labDown(name);
  expect((await listNamespaces()).filter((ns) => ns.startsWith(`k3sl-${name}-`))).toEqual([]);
  expect(existsSync(t.stateDir)).toBe(false);
}, 60_000);

describe(`lab Kubernetes API (${name})`, () => {
  it("writes a kubeconfig with the CA and the admin client certificate embedded, on node01 (preset before)", async () => {
    const doc = parse(readFileSync(kubeconfig, "utf8")) as {
      clusters: Array<{ cluster: Record<string, string> }>;
      users: Array<{ user: Record<string, string> }>;
      "current-context": string;
    };
    expect(doc["current-context"]).toBe(name);
    expect(doc.clusters[0]?.cluster.server).toBe(`https://[${node01?.address}]:6443`);
    expect(doc.clusters[0]?.cluster["certificate-authority-data"]).toBeTruthy();
    expect(doc.users[0]?.user["client-certificate-data"]).toBeTruthy();
    const cert = Buffer.from(doc.users[0]?.user["client-certificate-data"] ?? "", "base64").toString();
    const stdout = execFileSync("openssl", ["x509", "-noout", "-subject", "-ext", "extendedKeyUsage"], {
      input: cert,
      encoding: "utf8",
    });
    expect(stdout).toMatch(/O\s*=\s*system:masters, CN\s*=\s*admin/);
    expect(stdout).toContain("TLS Web Client Authentication");
    expect(existsSync(kubeDbFile(t))).toBe(true);
    expect((await readLabInfo(t))?.preset).toBe("before");
  });

  it("lists three Ready control-plane nodes with their addresses, and the kube-system pods", async () => {
    const core = kc().makeApiClient(CoreV1Api);
    const nodes = (await core.listNode()).items;
    expect(nodes.map((n) => n.metadata?.name).sort()).toEqual(["node01", "node02", "node03"]);
    for (const n of nodes) {
      expect(ready(n)).toBe(true);
      expect(n.metadata?.labels?.["node-role.kubernetes.io/control-plane"]).toBe("true");
      const spec = t.nodes.find((x) => x.name === n.metadata?.name);
      expect(n.status?.addresses).toContainEqual({ type: "InternalIP", address: spec?.address });
    }
    const pods = (await core.listNamespacedPod({ namespace: "kube-system" })).items;
    expect(pods.map((p) => p.metadata?.name ?? "").some((p) => p.startsWith("coredns-"))).toBe(true);
    expect(pods.every((p) => p.status?.phase === "Running")).toBe(true);
    const ep = await core.readNamespacedEndpoints({ name: "kubernetes", namespace: "default" });
    expect(ep.subsets?.[0]?.addresses?.map((a) => a.ip).sort()).toEqual(t.nodes.map((n) => n.address).sort());
  });

  it("has the CRDs and the `before` Calico objects: mesh on, router peer without filters, no MetalLB at all", async () => {
    const custom = kc().makeApiClient(CustomObjectsApi);
    const conf = (await custom.getClusterCustomObject({
      ...CALICO.bgpConfigurations,
      plural: CALICO.bgpConfigurations.resource,
      name: "default",
    })) as { spec: Record<string, unknown> };
    expect(conf.spec).toMatchObject({
      asNumber: t.clusterAsn,
      nodeToNodeMeshEnabled: true,
      serviceClusterIPs: [{ cidr: t.serviceCidr }],
    });
    expect(conf.spec.serviceLoadBalancerIPs).toBeUndefined();
    const peer = (await custom.getClusterCustomObject({
      ...CALICO.bgpPeers,
      plural: CALICO.bgpPeers.resource,
      name: PRESET_NAMES.bgpPeer,
    })) as { spec: Record<string, unknown> };
    expect(peer.spec).toEqual({ peerIP: t.router.address, asNumber: t.router.asn });
    // The document's starting point: MetalLB is not installed, so even listing pools is a 404 (as on a real cluster).
    const pools = custom.listNamespacedCustomObject({
      group: "metallb.io",
      version: "v1beta1",
      namespace: "metallb-system",
      plural: "ipaddresspools",
    });
    await expect(pools).rejects.toMatchObject({ code: 404 });
    const apps = kc().makeApiClient(AppsV1Api);
    expect((await apps.listDeploymentForAllNamespaces()).items.map((d) => d.metadata?.name)).not.toContain(
      "controller",
    );
  });

  it("starts where the design document does: tls-san with the node names only, no anonymous /readyz, no HA names in DNS", async () => {
    const config = parse(readFileSync(k3sConfigFile(t.nodes[0] as NodeSpec), "utf8")) as Record<
      string,
      unknown
    >;
    expect(config["tls-san"]).toEqual(t.nodes.map((n) => n.name));
    expect(config).not.toHaveProperty("kube-apiserver-arg");
    const ca = caFiles(t.stateDir).cert;
    const probe = await tlsProbe(node01?.address ?? "", 6443, ca, "node01");
    expect(probe.sans).not.toContain(t.vip);
    expect(probe.sans).not.toContain(t.dns.vipName);
    expect(probe.sans).not.toContain(t.dns.roundRobinName);
    // k3s answers 401 to anonymous health checks unless an AuthenticationConfiguration opens them.
    expect((await fetchStatus(node01?.address ?? "", "/readyz", ca)).status).toBe(401);
    expect((await dig(t, "AAAA", t.dns.roundRobinName)).trim()).toBe("");
    expect((await dig(t, "AAAA", t.dns.vipName)).trim()).toBe("");
    expect((await dig(t, "AAAA", `node02.${t.dns.zone}`)).trim()).toBe(node02?.address);
  });

  it("shows Calico's version where a real cluster does: calico-node's image tag and ClusterInformation default", async () => {
    const custom = kc().makeApiClient(CustomObjectsApi);
    const info = await waitFor(
      "calico-node to write ClusterInformation default",
      async () =>
        (await custom
          .getClusterCustomObject({
            group: "crd.projectcalico.org",
            version: "v1",
            plural: "clusterinformations",
            name: "default",
          })
          .catch(() => undefined)) as { spec: Record<string, unknown> } | undefined,
      { timeoutMs: 10_000, intervalMs: 200 },
    );
    expect(info.spec).toMatchObject({ calicoVersion: "v3.31.7", datastoreReady: true });
    expect(info.spec.clusterGUID).toMatch(/^[0-9a-f]{32}$/);
    const ds = await kc()
      .makeApiClient(AppsV1Api)
      .readNamespacedDaemonSet({ name: "calico-node", namespace: "calico-system" });
    expect(ds.spec?.template.spec?.containers[0]?.image).toBe("docker.io/calico/node:v3.31.7");
    expect((await labStatusOf(name)).models.calicoVersion).toBe("v3.31.7");
    // The version is fixed for a lab's life: asking for another one on a running lab is refused, not half-applied.
    await expect(labUp(name, { calico: "v3.32.1" })).rejects.toThrow(/runs Calico v3\.31\.7.*lab down/);
  });

  it("answers `kubectl get nodes` with the written kubeconfig", async () => {
    const { stdout } = await exec("/usr/bin/kubectl", [
      "--kubeconfig",
      kubeconfig,
      "get",
      "nodes",
      "-o",
      "json",
    ]);
    const list = JSON.parse(stdout) as { items: V1Node[] };
    expect(list.items).toHaveLength(3);
    const { stdout: table } = await exec("/usr/bin/kubectl", ["--kubeconfig", kubeconfig, "get", "nodes"]);
    expect(table).toMatch(/node02\s+Ready\s+control-plane/);
  });

  it("accepts the lab's admin bearer token, and answers 401 as a Status without credentials", async () => {
    const token = readFileSync(kubeTokenFile(t), "utf8").trim();
    const ca = readFileSync(caFiles(t.stateDir).cert);
    const get = (headers: Record<string, string>) =>
      new Promise<{ status: number; body: { kind?: string; code?: number; items?: unknown[] } }>(
        (resolve, reject) => {
          const req = httpsGet(
            { host: node02?.address, port: 6443, path: "/api/v1/nodes", ca, headers, timeout: 5_000 },
            (res) => {
              let body = "";
              res.setEncoding("utf8").on("data", (d: string) => {
                body += d;
              });
              res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) }));
            },
          );
          req.on("timeout", () => req.destroy(new Error("timed out")));
          req.on("error", reject);
        },
      );
    const ok = await get({ authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.body.items).toHaveLength(3);
    const anonymous = await get({});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ kind: "Status", code: 401 });
  });

  it("delivers a watch event for an object created through another node's API server", async () => {
    const events: string[] = [];
    const watch = new Watch(kc());
    const cmName = `watched-${Date.now()}`;
    const req = await watch.watch(
      "/api/v1/namespaces/default/configmaps",
      {},
      (type, obj: { metadata?: { name?: string } }) => events.push(`${type} ${obj.metadata?.name}`),
      () => {},
    );
    try {
      await sleep(200);
      await kc(node02?.address)
        .makeApiClient(CoreV1Api)
        .createNamespacedConfigMap({
          namespace: "default",
          body: { metadata: { name: cmName }, data: { a: "1" } },
        });
      await waitFor("the ADDED event", async () => (events.includes(`ADDED ${cmName}`) ? true : undefined), {
        timeoutMs: 10_000,
      });
    } finally {
      req.abort();
    }
  });

  it("runs readiness probes of host-network pods on their node (tcpSocket and httpGet)", async () => {
    const core = kc().makeApiClient(CoreV1Api);
    const podName = `probed-${Date.now()}`;
    await core.createNamespacedPod({
      namespace: "default",
      body: {
        metadata: { name: podName },
        spec: {
          nodeName: "node02",
          hostNetwork: true,
          containers: [
            {
              name: "api",
              image: "registry.k8s.io/pause:3.10",
              readinessProbe: { tcpSocket: { port: 6443 }, periodSeconds: 1, failureThreshold: 1 },
            },
            {
              name: "closed",
              image: "registry.k8s.io/pause:3.10",
              readinessProbe: { httpGet: { port: 6444, path: "/" }, periodSeconds: 1, failureThreshold: 1 },
            },
          ],
        },
      },
    });
    const pod = await waitFor(
      "the kubelet stand-in to start and probe the pod",
      async () => {
        const p = await core.readNamespacedPod({ name: podName, namespace: "default" });
        const statuses = p.status?.containerStatuses ?? [];
        return p.status?.phase === "Running" && statuses.find((c) => c.name === "api")?.ready ? p : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(pod.status?.podIP).toBe(node02?.address);
    expect(pod.status?.containerStatuses?.find((c) => c.name === "closed")?.ready).toBe(false);
    expect(ready(pod)).toBe(false);
    await core.deleteNamespacedPod({ name: podName, namespace: "default", gracePeriodSeconds: 0 });
  });

  it("keeps serving from node02 when k3s stops on node01: endpoints first, NotReady after the grace period, then its pods", async () => {
    const api = kc(node02?.address).makeApiClient(CoreV1Api);
    const start = Date.now();
    await stopK3s(t, "node01");
    const seen: Record<string, number> = {};
    const at = (key: string) => {
      seen[key] ??= Date.now() - start;
    };
    await waitFor(
      "node01's pods to be marked not ready",
      async () => {
        const ep = await api.readNamespacedEndpoints({ name: "kubernetes", namespace: "default" });
        const ips = ep.subsets?.flatMap((s) => s.addresses ?? []).map((a) => a.ip) ?? [];
        if (!ips.includes(node01?.address ?? "")) at("endpoints");
        // Pods first, then the node: the controller marks the node before its pods, so pods seen not ready here
        // mean the node read after them is NotReady too (reading the node first raced with the controller).
        const pods = (await api.listPodForAllNamespaces({ fieldSelector: "spec.nodeName=node01" })).items;
        const podsDown = pods.length > 0 && pods.every((p) => !ready(p));
        const node = await api.readNode({ name: "node01" });
        if (!ready(node)) at("notReady");
        else if (podsDown) at("podsBeforeNode");
        if (podsDown) at("podsNotReady");
        return seen.podsNotReady === undefined ? undefined : true;
      },
      { timeoutMs: 40_000, intervalMs: 250 },
    );
    const { endpoints = -1, notReady = -1, podsNotReady = -1 } = seen;
    expect(seen.podsBeforeNode, "pods marked not ready while their node was still Ready").toBeUndefined();
    // A graceful stop leaves default/kubernetes at once; the lease TTL is the bound either way.
    expect(endpoints).toBeGreaterThanOrEqual(0);
    expect(endpoints).toBeLessThan(FAST_TIMINGS.apiserverLeaseTtlMs + 3_000);
    // NotReady only after the grace period (minus at most one heartbeat interval since the last beat).
    expect(notReady).toBeGreaterThanOrEqual(FAST_TIMINGS.nodeGracePeriodMs - FAST_TIMINGS.heartbeatMs - 500);
    expect(notReady).toBeGreaterThanOrEqual(endpoints);
    expect(podsNotReady).toBeGreaterThanOrEqual(notReady);
    expect(podsNotReady).toBeLessThan(30_000);
    // The other API servers serve the same objects.
    const nodes = (await api.listNode()).items.map((n) => n.metadata?.name).sort();
    expect(nodes).toEqual(["node01", "node02", "node03"]);
  });

  it("brings node01 back Ready when k3s starts again", async () => {
    await startK3s(t, "node01");
    const api = kc().makeApiClient(CoreV1Api);
    await waitFor(
      "node01 Ready again and in default/kubernetes",
      async () => {
        const node = await api.readNode({ name: "node01" });
        const ep = await api.readNamespacedEndpoints({ name: "kubernetes", namespace: "default" });
        const ips = ep.subsets?.flatMap((s) => s.addresses ?? []).map((a) => a.ip) ?? [];
        return ready(node) && ips.includes(node01?.address ?? "") ? true : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
  });
});

describe(`lab Kubernetes API, k3s restarted over and over (${name})`, () => {
  it("starts and stops k3s on node02 five times while the others run, each start succeeding and rejoining", async () => {
    const api = kc(node01?.address).makeApiClient(CoreV1Api);
    const listed = async () => {
      const ep = await api.readNamespacedEndpoints({ name: "kubernetes", namespace: "default" });
      return (ep.subsets?.flatMap((s) => s.addresses ?? []).map((a) => a.ip) ?? []).includes(
        node02?.address ?? "",
      );
    };
    for (let i = 0; i < 5; i++) {
      await stopK3s(t, "node02");
      // Objects the last start left behind (its Node, Lease, Endpoints entry) must not make the next one fail.
      await startK3s(t, "node02");
      await waitFor(
        `node02 back in default/kubernetes (round ${i + 1})`,
        async () => ((await listed()) ? true : undefined),
        {
          timeoutMs: 15_000,
          intervalMs: 200,
        },
      );
    }
  }, 120_000);

  it("answers 503 `apiserver not ready` (but /ping) while k3s starts, and `systemctl start` returns only once ready", async () => {
    const ca = caFiles(t.stateDir).cert;
    const address = node02?.address ?? "";
    await stopK3s(t, "node02");
    const seen: { readyz: number; ping: number; body?: string }[] = [];
    let started = false;
    const probing = (async () => {
      for (let i = 0; i < 400 && !started; i++) {
        const readyz = await fetchStatus(address, "/readyz", ca).catch(() => undefined);
        if (readyz) {
          const ping = await fetchStatus(address, "/ping", ca).catch(() => ({ status: 0 }));
          seen.push({
            readyz: readyz.status,
            ping: ping.status,
            ...(readyz.body ? { body: readyz.body } : {}),
          });
        }
        await sleep(20);
      }
    })();
    await startK3s(t, "node02");
    started = true;
    await probing;
    // Right after `systemctl start` returned, the apiserver answers (anonymous: 401 before HA's configuration).
    expect((await fetchStatus(address, "/readyz", ca)).status).toBe(401);
    const starting = seen.filter((s) => s.readyz === 503);
    expect(starting.length, JSON.stringify(seen.slice(0, 5))).toBeGreaterThan(0);
    expect(starting.every((s) => s.ping === 200)).toBe(true);
    expect(JSON.parse(starting[0]?.body ?? "{}")).toMatchObject({
      kind: "Status",
      status: "Failure",
      message: "apiserver not ready",
      reason: "ServiceUnavailable",
      code: 503,
    });
  }, 60_000);
});

describe(`lab Kubernetes API, k3s killed (${name})`, () => {
  it("drops a killed apiserver (SIGKILL, no graceful stop) from default/kubernetes only after the lease TTL", async () => {
    const node03 = t.nodes[2];
    if (!node03) throw new Error("no node03");
    const api = kc(node02?.address).makeApiClient(CoreV1Api);
    const listed = async () => {
      const ep = await api.readNamespacedEndpoints({ name: "kubernetes", namespace: "default" });
      return (ep.subsets?.flatMap((s) => s.addresses ?? []).map((a) => a.ip) ?? []).includes(node03.address);
    };
    const pid = readPid(standinPidFile(standinConfig(t, node03)));
    if (pid === undefined) throw new Error("k3s is not running on node03");
    const start = Date.now();
    process.kill(pid, "SIGKILL");
    await sleep(1_000);
    expect(await listed()).toBe(true);
    await waitFor("node03 to leave default/kubernetes", async () => ((await listed()) ? undefined : true), {
      timeoutMs: FAST_TIMINGS.apiserverLeaseTtlMs + FAST_TIMINGS.apiserverReconcileMs + 5_000,
      intervalMs: 250,
    });
    expect(Date.now() - start).toBeGreaterThanOrEqual(FAST_TIMINGS.apiserverLeaseTtlMs - 2_000);
    // The orphaned process may be reaped a little late: start k3s again only once it is gone.
    await waitFor("the killed k3s to be gone", async () => (alive(pid) ? undefined : true), {
      timeoutMs: 10_000,
      intervalMs: 100,
    });
    await startK3s(t, "node03");
    await waitFor("node03 back in default/kubernetes", async () => ((await listed()) ? true : undefined), {
      timeoutMs: 15_000,
      intervalMs: 250,
    });
  });
});

describe(`lab Kubernetes API, preset vip (${name})`, () => {
  const endpointsOf = async () => {
    const slices = await kc(node02?.address)
      .makeApiClient(DiscoveryV1Api)
      .listNamespacedEndpointSlice({
        namespace: PRESET_NAMES.namespace,
        labelSelector: `kubernetes.io/service-name=${PRESET_NAMES.service}`,
      });
    return slices.items.flatMap((s) => s.endpoints ?? []);
  };

  it("`up --preset vip` on the running lab applies option 1 and points the kubeconfig at the VIP", async () => {
    const status = await labUp(name, { preset: "vip" });
    expect(status.preset).toBe("vip");
    const doc = parse(readFileSync(kubeconfig, "utf8")) as {
      clusters: Array<{ cluster: { server: string } }>;
    };
    expect(doc.clusters[0]?.cluster.server).toBe(kubeconfigServer(t, "vip"));
    const custom = kc(node02?.address).makeApiClient(CustomObjectsApi);
    const peer = (await custom.getClusterCustomObject({
      ...CALICO.bgpPeers,
      plural: CALICO.bgpPeers.resource,
      name: PRESET_NAMES.bgpPeer,
    })) as { spec: Record<string, unknown> };
    expect(peer.spec.filters).toEqual([PRESET_NAMES.bgpFilter]);
    const filter = (await custom.getClusterCustomObject({
      ...CALICO.bgpFilters,
      plural: CALICO.bgpFilters.resource,
      name: PRESET_NAMES.bgpFilter,
    })) as { spec: Record<string, unknown> };
    expect(filter.spec.exportV6).toEqual([
      { action: "Reject", matchOperator: "In", cidr: t.podCidr },
      { action: "Reject", matchOperator: "In", cidr: t.loadBalancerCidr, source: "RemotePeers" },
    ]);
    const conf = (await custom.getClusterCustomObject({
      ...CALICO.bgpConfigurations,
      plural: CALICO.bgpConfigurations.resource,
      name: "default",
    })) as { spec: Record<string, unknown> };
    expect(conf.spec.serviceLoadBalancerIPs).toEqual([{ cidr: t.loadBalancerCidr }]);
    // The hosts too: every server's config names the VIP and both names (k3s restarted one at a time, each
    // start adding them to the shared certificate), anonymous /readyz opened, both names in DNS.
    const config = parse(readFileSync(k3sConfigFile(t.nodes[2] as NodeSpec), "utf8")) as Record<
      string,
      unknown
    >;
    expect(config["tls-san"]).toEqual([
      ...t.nodes.map((n) => n.name),
      t.dns.roundRobinName,
      t.dns.vipName,
      t.vip,
    ]);
    const ca = caFiles(t.stateDir).cert;
    for (const n of t.nodes) {
      const probe = await tlsProbe(n.address, 6443, ca, t.dns.vipName);
      expect(probe.authorized, n.name).toBe(true);
      expect(probe.sans).toContain(t.vip);
      expect((await fetchStatus(n.address, "/readyz", ca)).status).toBe(200);
    }
    expect((await dig(t, "AAAA", t.dns.vipName)).trim()).toBe(t.vip);
    expect((await dig(t, "AAAA", t.dns.roundRobinName)).trim().split("\n").sort()).toEqual(
      t.nodes.map((n) => n.address).sort(),
    );
  });

  it("gives the API Service the VIP from MetalLB and ready endpoints with nodeName on the three nodes", async () => {
    const core = kc(node02?.address).makeApiClient(CoreV1Api);
    const svc = await waitFor(
      "the VIP in status.loadBalancer",
      async () => {
        const s = await core.readNamespacedService({ name: PRESET_NAMES.service, namespace: "default" });
        return s.status?.loadBalancer?.ingress?.length ? s : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(svc.status?.loadBalancer?.ingress?.map((i) => i.ip)).toEqual([t.vip]);
    expect(svc.spec?.externalTrafficPolicy).toBe("Local");
    const endpoints = await waitFor(
      "three ready endpoints",
      async () => {
        const eps = await endpointsOf();
        return eps.length === 3 && eps.every((e) => e.conditions?.ready) ? eps : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 250 },
    );
    expect(endpoints.map((e) => e.nodeName).sort()).toEqual(["node01", "node02", "node03"]);
    for (const e of endpoints)
      expect(e.addresses).toEqual([t.nodes.find((n) => n.name === e.nodeName)?.address]);
    // calico-node advertises the VIP from the three nodes, and the VIP serves the API (the kubeconfig names it).
    const vipPaths = await waitForFib(t, `${t.vip}/128`, (n) => n === 3, {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    expect(vipPaths).toBeDefined();
    expect((await kc().makeApiClient(CoreV1Api).listNode()).items).toHaveLength(3);
  });

  it("marks node01's endpoint not ready only after the grace period when k3s stops there, ready again after start", async () => {
    const node01Ready = async () =>
      (await endpointsOf()).find((e) => e.nodeName === "node01")?.conditions?.ready === true;
    const api = kc(node02?.address).makeApiClient(CoreV1Api);
    const start = Date.now();
    await stopK3s(t, "node01");
    const seen: Record<string, number> = {};
    await waitFor(
      "node01's endpoint not ready",
      async () => {
        const nodeReady = ready(await api.readNode({ name: "node01" }));
        if (!nodeReady) seen.nodeNotReady ??= Date.now() - start;
        if (!(await node01Ready())) seen.endpointNotReady ??= Date.now() - start;
        return seen.endpointNotReady === undefined ? undefined : true;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    // The endpoint follows the node's NotReady (grace period), not the stop itself: node01's pod stays ready till then.
    const detail = JSON.stringify(seen);
    expect(seen.nodeNotReady, detail).toBeDefined();
    expect(seen.endpointNotReady ?? 0, detail).toBeGreaterThanOrEqual(seen.nodeNotReady ?? 0);
    expect(seen.endpointNotReady ?? 0, detail).toBeGreaterThanOrEqual(
      FAST_TIMINGS.nodeGracePeriodMs - FAST_TIMINGS.heartbeatMs - 1_000,
    );
    const others = (await endpointsOf()).filter((e) => e.nodeName !== "node01");
    expect(others.every((e) => e.conditions?.ready)).toBe(true);
    // calico-node on node01 withdraws the VIP /128 (eTP Local, no ready local endpoint), and the router's export
    // filter keeps node01 from relaying the /128s of node02 and node03: the router has two next hops left.
    const withdrawn = await waitForFib(t, `${t.vip}/128`, (n) => n === 2, {
      timeoutMs: 15_000,
      intervalMs: 100,
    });
    expect(withdrawn, "the router still routes the VIP through node01").toBeDefined();
    await startK3s(t, "node01");
    await waitFor("node01's endpoint ready again", async () => ((await node01Ready()) ? true : undefined), {
      timeoutMs: 15_000,
      intervalMs: 250,
    });
    const back = await waitForFib(t, `${t.vip}/128`, (n) => n === 3, { timeoutMs: 15_000, intervalMs: 100 });
    expect(back, "the VIP did not come back through node01").toBeDefined();
  });
});
