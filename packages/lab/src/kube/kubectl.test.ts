// The real kubectl (v1.32) against the lab API: get -o json, apply --server-side (conflict, force), label, annotate,
// cordon/uncordon, drain with a PodDisruptionBudget blocking then allowing, delete, and get --watch.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { R } from "./client.js";
import { type RunningControllers, startControllers } from "./controllers/index.js";
import { createWorkload, seedCluster } from "./seed/index.js";
import { kubectl, startCluster, type TestCluster, waitFor, writeFile } from "./testkit/index.js";

let cluster: TestCluster;
let controllers: RunningControllers;
let kubeconfig: string;
const k = (...args: string[]) => kubectl(kubeconfig, args);
const json = <T>(text: string) => JSON.parse(text) as T;
type List = {
  items: Array<{
    metadata: {
      name: string;
      namespace?: string;
      labels?: Record<string, string>;
      annotations?: Record<string, string>;
    };
    spec?: Record<string, unknown>;
  }>;
};

beforeAll(async () => {
  cluster = await startCluster(1);
  const kube = cluster.servers[0]?.kube;
  if (!kube) throw new Error("no server");
  seedCluster(kube.client, {
    nodes: [
      { name: "k3s-1", address: "fd00:10::11" },
      { name: "k3s-2", address: "fd00:10::12" },
      { name: "k3s-3", address: "fd00:10::13" },
    ],
    podCidr: "fd00:10:42::/56",
  });
  controllers = startControllers(kube, {
    identity: "k3s-1",
    nodeLifecycle: false,
    metallb: false,
    resyncMs: 500,
    leaderElection: { retryPeriodMs: 200 },
  });
  kubeconfig = cluster.kubeconfig(0);
});
afterAll(async () => {
  controllers.stop();
  await cluster.stop();
});

describe("kubectl", () => {
  it("get -o json lists the seeded nodes and system pods", async () => {
    const nodes = await k("get", "nodes", "-o", "json");
    expect(nodes.code, nodes.stderr).toBe(0);
    expect(json<List>(nodes.stdout).items.map((n) => n.metadata.name)).toEqual(["k3s-1", "k3s-2", "k3s-3"]);
    const pods = await k("get", "pods", "-A", "-o", "json", "-l", "k8s-app=calico-node");
    expect(json<List>(pods.stdout).items).toHaveLength(3);
    const one = await k("get", "node", "k3s-2", "-o", "jsonpath={.status.addresses[0].address}");
    expect(one.stdout).toBe("fd00:10::12");
  });

  it("prints server-side tables with the columns a real cluster shows", async () => {
    const nodes = await k("get", "nodes");
    expect(nodes.stdout.split("\n")[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(nodes.stdout).toMatch(/k3s-1\s+Ready\s+control-plane,etcd,master\s+\S+\s+v1\.33\.5\+k3s1/);
    const dns = await k("get", "svc", "-n", "kube-system", "kube-dns");
    expect(dns.stdout).toMatch(/kube-dns\s+ClusterIP\s+fd00:10:96::a\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP/);
    const pods = await k("get", "pods", "-n", "calico-system", "-o", "wide");
    expect(pods.stdout).toMatch(/calico-node-\w{5}\s+1\/1\s+Running\s+0\s+\S+\s+fd00:10::11\s+k3s-1/);
  });

  it("apply --server-side creates, reports a conflict with another manager, and --force-conflicts takes over", async () => {
    const manifest = (replicas: number) => `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: shop
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: cart}
  template:
    metadata:
      labels: {app: cart}
    spec:
      containers:
      - name: cart
        image: cart:1
`;
    const dir = path.dirname(kubeconfig);
    const first = await k("apply", "--server-side", "-f", writeFile(dir, "a.yaml", manifest(2)));
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("namespace/shop serverside-applied");
    expect(first.stdout).toContain("deployment.apps/cart serverside-applied");
    const other = await k(
      "apply",
      "--server-side",
      "--field-manager",
      "ops",
      "-f",
      writeFile(dir, "b.yaml", manifest(3)),
    );
    expect(other.code).not.toBe(0);
    expect(other.stderr).toContain('Apply failed with 1 conflict: conflict with "kubectl": .spec.replicas');
    const forced = await k(
      "apply",
      "--server-side",
      "--field-manager",
      "ops",
      "--force-conflicts",
      "-f",
      path.join(dir, "b.yaml"),
    );
    expect(forced.code, forced.stderr).toBe(0);
    const replicas = await k("get", "deploy", "cart", "-n", "shop", "-o", "jsonpath={.spec.replicas}");
    expect(replicas.stdout).toBe("3");
  });

  it("label and annotate write what they say", async () => {
    expect((await k("label", "node", "k3s-3", "lab.example/zone=b")).stdout).toContain("node/k3s-3 labeled");
    expect((await k("annotate", "node", "k3s-3", "lab.example/note=hello")).stdout).toContain(
      "node/k3s-3 annotated",
    );
    const node = json<List["items"][number]>((await k("get", "node", "k3s-3", "-o", "json")).stdout);
    expect(node.metadata.labels?.["lab.example/zone"]).toBe("b");
    expect(node.metadata.annotations?.["lab.example/note"]).toBe("hello");
    expect((await k("label", "node", "k3s-3", "lab.example/zone-")).stdout).toContain("node/k3s-3 unlabeled");
  });

  it("cordon and uncordon toggle spec.unschedulable", async () => {
    expect((await k("cordon", "k3s-3")).stdout).toContain("node/k3s-3 cordoned");
    const cordoned = await k(
      "get",
      "nodes",
      "--field-selector",
      "spec.unschedulable=true",
      "-o",
      "jsonpath={.items[*].metadata.name}",
    );
    expect(cordoned.stdout).toBe("k3s-3");
    expect((await k("uncordon", "k3s-3")).stdout).toContain("node/k3s-3 uncordoned");
    const node = json<List["items"][number]>((await k("get", "node", "k3s-3", "-o", "json")).stdout);
    expect(node.spec?.unschedulable).toBeUndefined();
  });

  it("drain waits on a PodDisruptionBudget, then evicts once the budget allows it; DaemonSet pods stay", async () => {
    const client = cluster.servers[0]?.kube.client;
    if (!client) throw new Error("no client");
    const nodes = ["k3s-2"];
    createWorkload(
      client,
      {
        kind: "Deployment",
        namespace: "shop",
        name: "guarded",
        labels: { app: "guarded" },
        containers: [{ name: "c", image: "g:1" }],
        nodes,
      },
      (node) => ({
        node,
        hostIP: "fd00:10::12",
        podIP: "fd00:10:42:1::99",
      }),
    );
    client.create(R.pdbs, {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: { name: "guard", namespace: "shop" },
      spec: { minAvailable: 1, selector: { matchLabels: { app: "guarded" } } },
    });
    await waitFor(() => {
      const pdb = client.get(R.pdbs, "shop", "guard");
      return (pdb?.status as { observedGeneration?: number } | undefined)?.observedGeneration === 1;
    }, "the disruption controller to observe the budget");
    const blocked = await kubectl(
      kubeconfig,
      ["drain", "k3s-2", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=3s"],
      { timeoutMs: 30_000 },
    );
    expect(blocked.code).not.toBe(0);
    expect(blocked.stdout + blocked.stderr).toContain(
      "Cannot evict pod as it would violate the pod's disruption budget.",
    );
    const patched = await k(
      "patch",
      "pdb",
      "guard",
      "-n",
      "shop",
      "--type=merge",
      "-p",
      '{"spec":{"minAvailable":0}}',
    );
    expect(patched.code, patched.stderr).toBe(0);
    const drained = await kubectl(
      kubeconfig,
      ["drain", "k3s-2", "--ignore-daemonsets", "--delete-emptydir-data", "--timeout=20s"],
      { timeoutMs: 40_000 },
    );
    expect(drained.code, drained.stderr).toBe(0);
    expect(drained.stdout).toContain("node/k3s-2 drained");
    const left = json<List>(
      (await k("get", "pods", "-A", "--field-selector", "spec.nodeName=k3s-2", "-o", "json")).stdout,
    );
    expect(left.items.map((p) => p.metadata.name.replace(/-[a-z0-9]{5}$/, ""))).toEqual(["calico-node"]);
    expect((await k("uncordon", "k3s-2")).code).toBe(0);
  }, 90_000);

  it("delete removes an object and get --watch streams a change", async () => {
    const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: temp\n  namespace: shop\ndata:\n  a: b\n";
    const created = await k("create", "-f", writeFile(path.dirname(kubeconfig), "cm.yaml", cm));
    expect(created.code, created.stderr).toBe(0);
    expect((await k("delete", "configmap", "temp", "-n", "shop")).stdout).toContain(
      'configmap "temp" deleted',
    );
    const watching = kubectl(kubeconfig, ["get", "configmaps", "-n", "shop", "--watch", "-o", "name"], {
      timeoutMs: 4_000,
    });
    await new Promise((r) => setTimeout(r, 1_500));
    const seen = await k(
      "apply",
      "--server-side",
      "-f",
      writeFile(path.dirname(kubeconfig), "seen.yaml", cm.replace("temp", "seen-by-watch")),
    );
    expect(seen.code, seen.stderr).toBe(0);
    const out = await watching;
    expect(out.stdout).toContain("configmap/seen-by-watch");
  });
});
